package dev.cloudmapdns.server.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A service with its instances, immutable. {@code instancesRevision} grows on every registration
 * and deregistration (not on health changes), as DiscoverInstances reports it.
 */
public record ServiceEntry(
    Service service, Map<String, RegisteredInstance> instances, long instancesRevision) {
  public ServiceEntry {
    Objects.requireNonNull(service, "service");
    instances = Collections.unmodifiableMap(new LinkedHashMap<>(instances));
  }

  static ServiceEntry empty(Service service) {
    return new ServiceEntry(service, Map.of(), 0);
  }

  ServiceEntry withService(Service changed) {
    return new ServiceEntry(changed, instances, instancesRevision);
  }

  ServiceEntry withInstance(RegisteredInstance instance, long revision) {
    Map<String, RegisteredInstance> next = new LinkedHashMap<>(instances);
    next.put(instance.instance().id(), instance);
    return new ServiceEntry(service, next, revision);
  }

  ServiceEntry withoutInstance(String instanceId, long revision) {
    Map<String, RegisteredInstance> next = new LinkedHashMap<>(instances);
    next.remove(instanceId);
    return new ServiceEntry(service, next, revision);
  }

  ServiceEntry withHealth(String instanceId, HealthStatus status) {
    Map<String, RegisteredInstance> next = new LinkedHashMap<>(instances);
    next.computeIfPresent(instanceId, (id, current) -> current.withHealth(status));
    return new ServiceEntry(service, next, instancesRevision);
  }
}
