package dev.cloudmapdns.server.registry;

import dev.cloudmapdns.persistent.CreationOrderedMap;
import java.util.Map;
import java.util.Objects;

/**
 * A service with its instances, immutable. {@code instancesRevision} grows on every registration
 * and deregistration (not on health changes), as DiscoverInstances reports it.
 *
 * <p>The instances are a persistent map in registration order ({@link CreationOrderedMap}; a
 * re-registration keeps its place): a registration, deregistration or health change copies one path
 * of a small tree and shares the rest with the entry before, so it costs the same in a service of
 * 1,000 instances as in one of five, and a batch of a thousand registrations into one service (a
 * seed file) is linear, not quadratic.
 */
public record ServiceEntry(
    Service service, Map<String, RegisteredInstance> instances, long instancesRevision) {
  public ServiceEntry {
    Objects.requireNonNull(service, "service");
    instances = CreationOrderedMap.copyOf(instances);
  }

  static ServiceEntry empty(Service service) {
    return new ServiceEntry(service, CreationOrderedMap.empty(), 0);
  }

  ServiceEntry withService(Service changed) {
    return new ServiceEntry(changed, instances, instancesRevision);
  }

  ServiceEntry withInstance(RegisteredInstance instance, long revision) {
    return new ServiceEntry(service, ordered().plus(instance.instance().id(), instance), revision);
  }

  ServiceEntry withoutInstance(String instanceId, long revision) {
    return new ServiceEntry(service, ordered().minus(instanceId), revision);
  }

  ServiceEntry withHealth(String instanceId, HealthStatus status) {
    RegisteredInstance current = instances.get(instanceId);
    if (current == null) {
      return this;
    }
    return new ServiceEntry(
        service, ordered().plus(instanceId, current.withHealth(status)), instancesRevision);
  }

  /** The instances as the persistent map the constructor made of them. */
  private CreationOrderedMap<String, RegisteredInstance> ordered() {
    return (CreationOrderedMap<String, RegisteredInstance>) instances;
  }
}
