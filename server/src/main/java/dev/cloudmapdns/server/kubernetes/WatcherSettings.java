package dev.cloudmapdns.server.kubernetes;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the watcher runs.
 *
 * @param namespaces the Kubernetes namespaces to watch; empty for all
 * @param resync how often every pod is compared with the registry again, whatever happened
 * @param startTimeout how long start-up waits for the first list of pods
 * @param region the REGION attribute of every instance
 * @param warningRepeat how long before a pod still skipped for the same reason is told again
 * @param eventsPerMinute the most Kubernetes Events created per minute for skipped pods
 */
public record WatcherSettings(
    List<String> namespaces,
    Duration resync,
    Duration startTimeout,
    String region,
    Duration warningRepeat,
    int eventsPerMinute) {
  public WatcherSettings {
    namespaces = List.copyOf(namespaces);
    Objects.requireNonNull(resync, "resync");
    Objects.requireNonNull(startTimeout, "startTimeout");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(warningRepeat, "warningRepeat");
    if (resync.isNegative() || startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException("resync and start-timeout must be positive");
    }
  }

  boolean watches(String namespace) {
    return namespaces.isEmpty() || namespaces.contains(namespace);
  }
}
