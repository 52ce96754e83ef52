package dev.cloudmapdns.server.registry;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request to change the registry, as a value: what {@link Registry#execute} decides alone and
 * {@link Registry#executeEach} and {@link Registry#executeAll} decide many at a time. {@code T} is
 * what the command answers when it is accepted. Commands are not state deltas: deciding one against
 * a state yields the {@link StateDelta}s that make it, or a {@link RegistryException}.
 *
 * @param <T> the command's answer
 */
public sealed interface RegistryCommand<T> {

  /** CreateNamespace in {@code region}, with tags; a CreatorRequestId retry answers once. */
  record CreateNamespace(NamespaceSpec spec, Map<String, String> tags, String region)
      implements RegistryCommand<Operation> {
    public CreateNamespace {
      Objects.requireNonNull(spec, "spec");
      tags = ordered(tags);
      Objects.requireNonNull(region, "region");
    }
  }

  /** UpdateNamespace: description and SOA TTL; a retried UpdaterRequestId answers once. */
  record UpdateNamespace(String namespaceId, NamespacePatch change)
      implements RegistryCommand<Operation> {
    public UpdateNamespace {
      Objects.requireNonNull(namespaceId, "namespaceId");
      Objects.requireNonNull(change, "change");
    }
  }

  /** DeleteNamespace; refused while it has services. */
  record DeleteNamespace(String namespaceId) implements RegistryCommand<Operation> {
    public DeleteNamespace {
      Objects.requireNonNull(namespaceId, "namespaceId");
    }
  }

  /** CreateService with tags; a CreatorRequestId retry of the same service answers with it. */
  record CreateService(ServiceSpec spec, Map<String, String> tags)
      implements RegistryCommand<Service> {
    public CreateService {
      Objects.requireNonNull(spec, "spec");
      tags = ordered(tags);
    }
  }

  /** UpdateService; a changed active check resets every instance's health. */
  record UpdateService(String serviceId, ServicePatch change)
      implements RegistryCommand<Operation> {
    public UpdateService {
      Objects.requireNonNull(serviceId, "serviceId");
      Objects.requireNonNull(change, "change");
    }
  }

  /** DeleteService; refused while it has instances. Answers the deleted service's id. */
  record DeleteService(String serviceId) implements RegistryCommand<String> {
    public DeleteService {
      Objects.requireNonNull(serviceId, "serviceId");
    }
  }

  /** UpdateServiceAttributes: adds or replaces; at most 30 in all. Answers the service's id. */
  record UpdateServiceAttributes(String serviceId, Map<String, String> attributes)
      implements RegistryCommand<String> {
    public UpdateServiceAttributes {
      Objects.requireNonNull(serviceId, "serviceId");
      attributes = ordered(attributes);
    }
  }

  /** DeleteServiceAttributes; absent keys are ignored. Answers the service's id. */
  record DeleteServiceAttributes(String serviceId, Collection<String> keys)
      implements RegistryCommand<String> {
    public DeleteServiceAttributes {
      Objects.requireNonNull(serviceId, "serviceId");
      keys = List.copyOf(keys);
    }
  }

  /** RegisterInstance: a new instance, or new attributes for the one with this id. */
  record RegisterInstance(Registration registration) implements RegistryCommand<Operation> {
    public RegisterInstance {
      Objects.requireNonNull(registration, "registration");
    }
  }

  /** DeregisterInstance; refused when the instance is not registered. */
  record DeregisterInstance(String serviceId, String instanceId, InstanceOwner by)
      implements RegistryCommand<Operation> {
    public DeregisterInstance {
      Objects.requireNonNull(serviceId, "serviceId");
      Objects.requireNonNull(instanceId, "instanceId");
      Objects.requireNonNull(by, "by");
    }

    /** DeregisterInstance through the API. */
    public DeregisterInstance(String serviceId, String instanceId) {
      this(serviceId, instanceId, InstanceOwner.API);
    }
  }

  /**
   * The readiness of a pod, as the health of an instance the Kubernetes watcher registered; stored,
   * refused for instances registered through the API. Answers whether the status changed.
   */
  record UpdateReadiness(String serviceId, String instanceId, HealthStatus status)
      implements RegistryCommand<Boolean> {
    public UpdateReadiness {
      Objects.requireNonNull(serviceId, "serviceId");
      Objects.requireNonNull(instanceId, "instanceId");
      Objects.requireNonNull(status, "status");
    }
  }

  /**
   * A status an active check found for the registration {@code probed} (the very {@link Instance}
   * value the check was started for; null for whichever is registered). When the instance was
   * registered again since, this is refused with INSTANCE_NOT_FOUND: a probe of the old address
   * must not decide the new one. Published, never stored. Answers whether the status changed.
   */
  record UpdateHealth(String serviceId, String instanceId, HealthStatus status, Instance probed)
      implements RegistryCommand<Boolean> {
    public UpdateHealth {
      Objects.requireNonNull(serviceId, "serviceId");
      Objects.requireNonNull(instanceId, "instanceId");
      Objects.requireNonNull(status, "status");
    }
  }

  /** UpdateInstanceCustomHealthStatus; stored. Answers whether the status changed. */
  record UpdateCustomHealth(String serviceId, String instanceId, HealthStatus status)
      implements RegistryCommand<Boolean> {
    public UpdateCustomHealth {
      Objects.requireNonNull(serviceId, "serviceId");
      Objects.requireNonNull(instanceId, "instanceId");
      Objects.requireNonNull(status, "status");
    }
  }

  /** TagResource on a namespace or service ARN; at most 50 in all. Answers the resource's id. */
  record TagResource(String arn, Map<String, String> tags) implements RegistryCommand<String> {
    public TagResource {
      Objects.requireNonNull(arn, "arn");
      tags = ordered(tags);
    }
  }

  /** UntagResource; absent keys are ignored. Answers the resource's id. */
  record UntagResource(String arn, Collection<String> keys) implements RegistryCommand<String> {
    public UntagResource {
      Objects.requireNonNull(arn, "arn");
      keys = List.copyOf(keys);
    }
  }

  /** A copy that keeps the caller's order, as tags and attributes are reported back in it. */
  private static Map<String, String> ordered(Map<String, String> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
