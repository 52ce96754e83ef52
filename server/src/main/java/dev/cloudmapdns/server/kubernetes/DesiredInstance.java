package dev.cloudmapdns.server.kubernetes;

import dev.cloudmapdns.server.registry.HealthStatus;
import java.util.Map;
import java.util.Objects;

/**
 * An instance a pod wants registered: in which service, under which id, with which attributes and
 * health (its readiness).
 *
 * @param pod the pod's {@code namespace/name}
 */
record DesiredInstance(
    String pod,
    String serviceId,
    String instanceId,
    Map<String, String> attributes,
    HealthStatus health) {
  DesiredInstance {
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(serviceId, "serviceId");
    Objects.requireNonNull(instanceId, "instanceId");
    attributes = Map.copyOf(attributes);
    Objects.requireNonNull(health, "health");
  }

  InstanceKey key() {
    return new InstanceKey(serviceId, instanceId);
  }
}
