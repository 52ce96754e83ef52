package dev.cloudmapdns.server.watch;

import dev.cloudmapdns.server.registry.HealthStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One change to one instance, as watchers see it.
 *
 * @param version the registry version that made the change
 * @param health the status after the change (the last known one for a deregistration)
 * @param previousHealth the status before, for {@link Kind#HEALTH_CHANGED}; null otherwise
 */
public record WatchEvent(
    Kind kind,
    long version,
    String namespaceId,
    String namespaceName,
    String serviceId,
    String serviceName,
    String instanceId,
    HealthStatus health,
    HealthStatus previousHealth,
    Map<String, String> attributes,
    Instant at) {

  public WatchEvent {
    Objects.requireNonNull(kind, "kind");
    attributes = Map.copyOf(attributes);
  }

  /** What happened to the instance. */
  public enum Kind {
    /** It was registered when the watch started. */
    CURRENT,
    REGISTERED,
    /** Registered again under the same id. */
    UPDATED,
    DEREGISTERED,
    HEALTH_CHANGED
  }
}
