package dev.cloudmapdns.server.app;

import dev.cloudmapdns.server.kubernetes.WatchStatus;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * The Kubernetes watcher in {@code /health}. A lost watch leaves it UP: the registry and DNS keep
 * serving the last known pods while Fabric8 retries, so taking the server out of service would only
 * make things worse; the details say what is going on.
 */
@Singleton
@Requires(property = "cloudmap.kubernetes.enabled", value = "true")
final class KubernetesHealthIndicator implements HealthIndicator {
  private final KubernetesWatcherLifecycle watcher;

  KubernetesHealthIndicator(KubernetesWatcherLifecycle watcher) {
    this.watcher = watcher;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    WatchStatus status = watcher.status();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put(
        "watch",
        status.watching()
            ? "watching pods"
            : "lost; retrying with backoff, serving the last known pods");
    details.put("since", status.since().toString());
    if (!status.watching() && status.lastError() != null) {
      details.put("lastError", status.lastError());
    }
    details.put("pods", status.pods());
    details.put("instances", status.instances());
    details.put("skippedPods", status.skipped());
    return Publishers.just(
        HealthResult.builder("kubernetes", HealthStatus.UP).details(details).build());
  }
}
