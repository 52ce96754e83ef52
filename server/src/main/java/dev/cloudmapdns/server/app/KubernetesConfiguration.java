package dev.cloudmapdns.server.app;

import dev.cloudmapdns.server.kubernetes.WatcherSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.List;

/**
 * The Kubernetes watcher ({@code cloudmap.kubernetes.*}); see docs/kubernetes.md.
 *
 * @param enabled whether to register pods at all ({@code --kubernetes}); off by default
 * @param namespaces the Kubernetes namespaces to watch; all when unset
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
    @Bindable(defaultValue = "5m") Duration resync,
    @Bindable(defaultValue = "10s") Duration startTimeout,
    @Bindable(defaultValue = "10m") Duration warningRepeat,
    @Bindable(defaultValue = "60") int eventsPerMinute) {

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
