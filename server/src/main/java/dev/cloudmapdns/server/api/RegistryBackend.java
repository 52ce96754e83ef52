package dev.cloudmapdns.server.api;

import dev.cloudmapdns.api.backend.BackendException;
import dev.cloudmapdns.api.backend.BackendFailure;
import dev.cloudmapdns.api.backend.CloudMapBackend;
import dev.cloudmapdns.api.backend.InstanceRegistration;
import dev.cloudmapdns.api.backend.InstanceState;
import dev.cloudmapdns.api.backend.NamespaceCreation;
import dev.cloudmapdns.api.backend.NamespaceUpdate;
import dev.cloudmapdns.api.backend.ServiceCreation;
import dev.cloudmapdns.api.backend.ServiceInstances;
import dev.cloudmapdns.api.backend.ServiceUpdate;
import dev.cloudmapdns.api.protocol.ApiException;
import dev.cloudmapdns.api.shapes.Namespace;
import dev.cloudmapdns.api.shapes.Operation;
import dev.cloudmapdns.api.shapes.Service;
import dev.cloudmapdns.api.shapes.ServiceAttributes;
import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.NamespacePatch;
import dev.cloudmapdns.server.registry.NamespaceSpec;
import dev.cloudmapdns.server.registry.NamespaceType;
import dev.cloudmapdns.server.registry.Registration;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryException;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.RegistryStoreUnavailableException;
import dev.cloudmapdns.server.registry.ServiceEntry;
import dev.cloudmapdns.server.registry.ServicePatch;
import dev.cloudmapdns.server.registry.ServiceSpec;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The facade's backend port over the {@link Registry}, for one region. Writes go through the
 * registry's commands; reads take one {@link RegistryState} snapshot each, so a response never
 * mixes two versions. A resource of another region is not found, as in AWS.
 */
public final class RegistryBackend implements CloudMapBackend {
  private final Registry registry;
  private final CloudMapShapes shapes;
  private final String region;

  /** The backend for the registry's own (the configured) region. */
  public RegistryBackend(Registry registry) {
    this(registry, registry.identity().region());
  }

  private RegistryBackend(Registry registry, String region) {
    this.registry = registry;
    this.shapes = new CloudMapShapes(registry.identity().account());
    this.region = region;
  }

  @Override
  public CloudMapBackend inRegion(String requestRegion) {
    return requestRegion.equals(region) ? this : new RegistryBackend(registry, requestRegion);
  }

  private boolean local(String arn) {
    return registry.identity().regionOf(arn).equals(region);
  }

  @Override
  public String accountId() {
    return registry.identity().account();
  }

  @Override
  public String createNamespace(NamespaceCreation c) {
    NamespaceSpec spec =
        new NamespaceSpec(
            c.name(),
            NamespaceType.valueOf(c.type()),
            c.description(),
            c.soaTtl(),
            c.vpc(),
            c.creatorRequestId());
    return call(() -> registry.createNamespace(spec, c.tags(), region).id());
  }

  @Override
  public String updateNamespace(String id, NamespaceUpdate u) {
    NamespacePatch change =
        new NamespacePatch(
            NamespaceType.valueOf(u.type()), u.description(), u.soaTtl(), u.updaterRequestId());
    String namespaceId = namespace(id).id();
    return call(() -> registry.updateNamespace(namespaceId, change).id());
  }

  @Override
  public String deleteNamespace(String id) {
    String namespaceId = namespace(id).id();
    return call(() -> registry.deleteNamespace(namespaceId).id());
  }

  @Override
  public Namespace namespace(String id) {
    RegistryState state = registry.state();
    return shapes.namespace(requireNamespace(state, id), state);
  }

  @Override
  public List<Namespace> namespaces() {
    RegistryState state = registry.state();
    return state.namespaces().values().stream()
        .filter(n -> local(n.arn()))
        .map(n -> shapes.namespace(n, state))
        .toList();
  }

  @Override
  public Service createService(ServiceCreation c) {
    String namespaceId = namespace(c.namespaceId()).id();
    ServiceSpec spec =
        new ServiceSpec(
            c.name(),
            namespaceId,
            c.description(),
            shapes.dnsConfig(c.dnsConfig()),
            shapes.healthCheck(c.healthCheckConfig()),
            shapes.customHealth(c.healthCheckCustomConfig()),
            c.creatorRequestId());
    return call(
        () -> {
          var service = registry.createService(spec, c.tags());
          RegistryState state = registry.state();
          return shapes.service(state.service(service.id()).orElseThrow(), state);
        });
  }

  @Override
  public String updateService(String id, ServiceUpdate u) {
    ServicePatch change =
        new ServicePatch(
            u.description(),
            u.dnsRecords() == null ? null : shapes.records(u.dnsRecords()),
            shapes.healthCheck(u.healthCheckConfig()));
    String serviceId = service(id).id();
    return call(() -> registry.updateService(serviceId, change).id());
  }

  @Override
  public void deleteService(String id) {
    call(
        () -> {
          registry.deleteService(service(id).id());
          return null;
        });
  }

  @Override
  public Service service(String id) {
    RegistryState state = registry.state();
    return shapes.service(requireService(state, id), state);
  }

  @Override
  public List<Service> services() {
    RegistryState state = registry.state();
    return state.services().values().stream()
        .filter(s -> local(s.service().arn()))
        .map(s -> shapes.service(s, state))
        .toList();
  }

  @Override
  public ServiceAttributes serviceAttributes(String serviceId) {
    RegistryState state = registry.state();
    ServiceEntry entry = requireService(state, serviceId);
    return new ServiceAttributes(
        entry.service().arn(), accountId(), state.serviceAttributes(entry.service().id()));
  }

  @Override
  public void updateServiceAttributes(String serviceId, Map<String, String> attributes) {
    call(
        () -> {
          registry.updateServiceAttributes(service(serviceId).id(), attributes);
          return null;
        });
  }

  @Override
  public void deleteServiceAttributes(String serviceId, Collection<String> keys) {
    call(
        () -> {
          registry.deleteServiceAttributes(service(serviceId).id(), keys);
          return null;
        });
  }

  @Override
  public String registerInstance(InstanceRegistration r) {
    Registration registration =
        new Registration(
            service(r.serviceId()).id(), r.instanceId(), r.attributes(), r.creatorRequestId());
    return call(() -> registry.registerInstance(registration).id());
  }

  @Override
  public String deregisterInstance(String serviceId, String instanceId) {
    String id = service(serviceId).id();
    return call(() -> registry.deregisterInstance(id, instanceId).id());
  }

  @Override
  public InstanceState instance(String serviceId, String instanceId) {
    ServiceEntry entry = requireService(registry.state(), serviceId);
    var registered = entry.instances().get(instanceId);
    if (registered == null) {
      throw new BackendException(
          BackendFailure.INSTANCE_NOT_FOUND,
          "Instance " + instanceId + " is not registered in service " + serviceId);
    }
    return shapes.instance(registered);
  }

  @Override
  public ServiceInstances instances(String serviceId) {
    RegistryState state = registry.state();
    return shapes.instances(requireService(state, serviceId), state);
  }

  @Override
  public ServiceInstances discover(String namespaceName, String serviceName) {
    RegistryState state = registry.state();
    var namespace =
        state
            .namespaceNamed(namespaceName)
            .filter(n -> local(n.arn()))
            .orElseThrow(
                () ->
                    new BackendException(
                        BackendFailure.NAMESPACE_NOT_FOUND,
                        "Namespace " + namespaceName + " not found"));
    ServiceEntry entry =
        state
            .serviceNamed(namespace.id(), serviceName)
            .orElseThrow(
                () ->
                    new BackendException(
                        BackendFailure.SERVICE_NOT_FOUND,
                        "Service " + serviceName + " not found in namespace " + namespaceName));
    return shapes.instances(entry, state);
  }

  @Override
  public void updateCustomHealth(String serviceId, String instanceId, String status) {
    String id = service(serviceId).id();
    call(() -> registry.updateCustomHealth(id, instanceId, HealthStatus.valueOf(status)));
  }

  @Override
  public Operation operation(String operationId) {
    var operation = registry.state().operation(operationId).orElse(null);
    if (operation == null || !operation.region().equals(region)) {
      throw new BackendException(
          BackendFailure.OPERATION_NOT_FOUND, "Operation " + operationId + " not found");
    }
    return shapes.operation(operation);
  }

  @Override
  public List<Operation> operations() {
    return registry.state().operations().values().stream()
        .filter(o -> o.region().equals(region))
        .map(shapes::operation)
        .toList();
  }

  @Override
  public Map<String, String> tags(String resourceArn) {
    return call(() -> registry.state().tags(registry.requireTaggable(localArn(resourceArn))));
  }

  @Override
  public void tagResource(String resourceArn, Map<String, String> tags) {
    call(
        () -> {
          registry.tagResource(localArn(resourceArn), tags);
          return null;
        });
  }

  @Override
  public void untagResource(String resourceArn, Collection<String> keys) {
    call(
        () -> {
          registry.untagResource(localArn(resourceArn), keys);
          return null;
        });
  }

  private dev.cloudmapdns.server.registry.Namespace requireNamespace(
      RegistryState state, String id) {
    return state
        .namespace(id)
        .filter(n -> local(n.arn()))
        .orElseThrow(
            () ->
                new BackendException(
                    BackendFailure.NAMESPACE_NOT_FOUND, "Namespace " + id + " not found"));
  }

  private ServiceEntry requireService(RegistryState state, String id) {
    return state
        .service(id)
        .filter(s -> local(s.service().arn()))
        .orElseThrow(
            () ->
                new BackendException(
                    BackendFailure.SERVICE_NOT_FOUND, "Service " + id + " not found"));
  }

  /** A tagging ARN of this region; any other is a resource that is not found here. */
  private String localArn(String arn) {
    if (!local(arn)) {
      throw new BackendException(
          BackendFailure.RESOURCE_NOT_FOUND, "Resource " + arn + " not found in " + region);
    }
    return arn;
  }

  /**
   * Runs a registry command, turning its refusal into the port's, and a store that cannot take
   * writes now (etcd unreachable) into ServiceUnavailable, which AWS SDKs retry.
   */
  private static <T> T call(Supplier<T> command) {
    try {
      return command.get();
    } catch (RegistryStoreUnavailableException e) {
      throw new ApiException(503, "ServiceUnavailable", e.getMessage());
    } catch (RegistryException e) {
      RegistryException.ExistingResource existing = e.existing();
      throw new BackendException(
          failure(e),
          e.getMessage(),
          e.duplicateOperationId(),
          existing == null
              ? null
              : new BackendException.ExistingResource(
                  existing.id(), existing.arn(), existing.creatorRequestId()));
    }
  }

  /** Registry errors and backend failures are the same kinds under the same names. */
  static BackendFailure failure(RegistryException e) {
    return BackendFailure.valueOf(e.error().name());
  }
}
