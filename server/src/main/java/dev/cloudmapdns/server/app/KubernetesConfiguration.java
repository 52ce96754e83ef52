package dev.cloudmapdns.server.app;

import dev.cloudmapdns.server.kubernetes.WatcherSettings;
import io.fabric8.kubernetes.client.Config;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.io.File;
import java.time.Duration;
import java.util.List;

/**
 * The Kubernetes watcher ({@code cloudmap.kubernetes.*}); see docs/kubernetes.md.
 *
 * @param enabled whether to register pods at all ({@code --kubernetes}); off by default
 * @param namespaces the Kubernetes namespaces to watch; all when unset
 * @param kubeconfig a kubeconfig file to use instead of the in-cluster service account, KUBECONFIG
 *     or ~/.kube/config
 * @param resync how often every pod is compared with the registry again, whatever happened
 * @param startTimeout how long start-up waits for the first list of pods before it gives up
 * @param warningRepeat how long before a pod still skipped for the same reason is logged and given
 *     an Event again
 * @param eventsPerMinute the most Kubernetes Events created per minute for skipped pods
 */
@ConfigurationProperties("cloudmap.kubernetes")
public record KubernetesConfiguration(
    @Bindable(defaultValue = "false") boolean enabled,
    @Nullable List<String> namespaces,
    @Nullable String kubeconfig,
    @Bindable(defaultValue = "5m") Duration resync,
    @Bindable(defaultValue = "10s") Duration startTimeout,
    @Bindable(defaultValue = "10m") Duration warningRepeat,
    @Bindable(defaultValue = "60") int eventsPerMinute) {

  /** Fabric8's own order (service account, KUBECONFIG, ~/.kube/config) unless a file is given. */
  Config clientConfig() {
    if (kubeconfig == null || kubeconfig.isBlank()) {
      return Config.autoConfigure(null);
    }
    File file = new File(kubeconfig);
    if (!file.canRead()) {
      throw new ConfigurationException(
          "cloudmap.kubernetes.kubeconfig: " + kubeconfig + " not found or not readable");
    }
    return Config.fromKubeconfig(file);
  }

  WatcherSettings settings(String region) {
    try {
      return new WatcherSettings(
          namespaces == null
              ? List.of()
              : namespaces.stream().map(String::trim).filter(n -> !n.isEmpty()).toList(),
          resync,
          startTimeout,
          region,
          warningRepeat,
          eventsPerMinute);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("cloudmap.kubernetes: " + e.getMessage());
    }
  }
}
