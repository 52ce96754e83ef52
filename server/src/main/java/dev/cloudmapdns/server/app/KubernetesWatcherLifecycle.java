package dev.cloudmapdns.server.app;

import dev.cloudmapdns.server.kubernetes.PodWatcher;
import dev.cloudmapdns.server.kubernetes.WatchStatus;
import dev.cloudmapdns.server.registry.Registry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import java.time.Clock;

/**
 * Runs the Kubernetes watcher ({@link PodWatcher}) for the life of the application, when {@code
 * cloudmap.kubernetes.enabled} is on. Created at start-up, before anything serves: it reconciles
 * the registry with the pods first, and an unreachable cluster stops start-up with one line.
 */
@Context
@Requires(property = "cloudmap.kubernetes.enabled", value = "true")
final class KubernetesWatcherLifecycle implements AutoCloseable {
  private final KubernetesClient client;
  private final PodWatcher watcher;

  KubernetesWatcherLifecycle(
      Registry registry, KubernetesConfiguration config, CloudMapConfiguration cloudMap) {
    client = new KubernetesClientBuilder().withConfig(config.clientConfig()).build();
    try {
      watcher =
          PodWatcher.start(client, registry, config.settings(cloudMap.region()), Clock.systemUTC());
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  WatchStatus status() {
    return watcher.status();
  }

  @Override
  @PreDestroy
  public void close() {
    watcher.close();
    client.close();
  }
}
