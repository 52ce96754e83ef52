package dev.cloudmapdns.server.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One step of a registry command, as the registry applies it to its state ({@link
 * RegistryState#apply}) and a {@link RegistryStore} persists it. A command is one or more changes,
 * applied and stored together as one {@link DeltaSet}. Every change carries whole values (the new
 * namespace, the new instance, all tags of a resource), so applying one twice gives the same state.
 */
public sealed interface StateDelta {

  /** A namespace was created or changed. */
  record NamespacePut(Namespace namespace) implements StateDelta {
    public NamespacePut {
      Objects.requireNonNull(namespace, "namespace");
    }
  }

  /** A namespace was deleted, with its tags. */
  record NamespaceRemoved(String namespaceId) implements StateDelta {
    public NamespaceRemoved {
      Objects.requireNonNull(namespaceId, "namespaceId");
    }
  }

  /** A service was created (with no instances) or its definition changed (its instances stay). */
  record ServicePut(Service service) implements StateDelta {
    public ServicePut {
      Objects.requireNonNull(service, "service");
    }
  }

  /** A service was deleted, with its tags and service attributes. */
  record ServiceRemoved(String serviceId) implements StateDelta {
    public ServiceRemoved {
      Objects.requireNonNull(serviceId, "serviceId");
    }
  }

  /**
   * An instance was registered or re-registered; {@code instancesRevision} is the service's new
   * InstancesRevision.
   */
  record InstancePut(String serviceId, RegisteredInstance instance, long instancesRevision)
      implements StateDelta {
    public InstancePut {
      Objects.requireNonNull(serviceId, "serviceId");
      Objects.requireNonNull(instance, "instance");
    }
  }

  /** An instance was deregistered; {@code instancesRevision} is the service's new one. */
  record InstanceRemoved(String serviceId, String instanceId, long instancesRevision)
      implements StateDelta {
    public InstanceRemoved {
      Objects.requireNonNull(serviceId, "serviceId");
      Objects.requireNonNull(instanceId, "instanceId");
    }
  }

  /** An instance's health status changed (a check result, a custom status, a reset). */
  record HealthSet(String serviceId, String instanceId, HealthStatus status) implements StateDelta {
    public HealthSet {
      Objects.requireNonNull(serviceId, "serviceId");
      Objects.requireNonNull(instanceId, "instanceId");
      Objects.requireNonNull(status, "status");
    }
  }

  /** All tags of a namespace or service, by its id, in order; empty when it has none left. */
  record TagsSet(String resourceId, Map<String, String> tags) implements StateDelta {
    public TagsSet {
      Objects.requireNonNull(resourceId, "resourceId");
      tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }
  }

  /** All service attributes of a service, in order; empty when it has none left. */
  record ServiceAttributesSet(String serviceId, Map<String, String> attributes)
      implements StateDelta {
    public ServiceAttributesSet {
      Objects.requireNonNull(serviceId, "serviceId");
      attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }
  }

  /** An operation was recorded; only the newest {@link RegistryState#MAX_OPERATIONS} are kept. */
  record OperationAdded(Operation operation) implements StateDelta {
    public OperationAdded {
      Objects.requireNonNull(operation, "operation");
    }
  }
}
