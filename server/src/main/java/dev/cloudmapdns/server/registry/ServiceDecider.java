package dev.cloudmapdns.server.registry;

import static dev.cloudmapdns.server.registry.DecisionContext.requireNamespace;
import static dev.cloudmapdns.server.registry.DecisionContext.requireService;

import dev.cloudmapdns.server.registry.RegistryCommand.CreateService;
import dev.cloudmapdns.server.registry.RegistryCommand.DeleteService;
import dev.cloudmapdns.server.registry.RegistryCommand.DeleteServiceAttributes;
import dev.cloudmapdns.server.registry.RegistryCommand.UpdateService;
import dev.cloudmapdns.server.registry.RegistryCommand.UpdateServiceAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Service commands: state + command → decision, nothing else. */
final class ServiceDecider {
  private final DecisionContext context;

  ServiceDecider(DecisionContext context) {
    this.context = context;
  }

  Decision<Service> create(RegistryState state, CreateService command) {
    ServiceSpec spec = command.spec();
    Namespace namespace = requireNamespace(state, spec.namespaceId());
    RegistryRules.checkService(spec, namespace);
    ServiceEntry sameName = state.serviceNamed(namespace.id(), spec.name()).orElse(null);
    if (sameName != null) {
      Service service = sameName.service();
      if (spec.creatorRequestId() != null
          && spec.creatorRequestId().equals(service.creatorRequestId())
          && service.name().equals(spec.name())) {
        return Decision.unchanged(service);
      }
      throw RegistryException.serviceExists(
          "Service "
              + spec.name()
              + " already exists in namespace "
              + namespace.name()
              + " ("
              + service.id()
              + ")",
          service);
    }
    RegistryRules.checkTags("Service " + spec.name(), command.tags().size());
    RegistryIdentity identity = context.identity();
    String id = identity.newServiceId();
    Service service =
        new Service(
            id,
            identity.serviceArn(id, identity.regionOf(namespace.arn())),
            spec.name(),
            namespace.id(),
            spec.description(),
            spec.dnsConfig(),
            spec.healthCheckConfig(),
            spec.healthCheckCustomConfig(),
            spec.creatorRequestId(),
            context.clock().instant());
    return Decision.stored(
        service, new StateDelta.ServicePut(service), new StateDelta.TagsSet(id, command.tags()));
  }

  /** When the active health check changes, every instance starts over as a new one would. */
  Decision<Operation> update(RegistryState state, UpdateService command) {
    ServicePatch change = command.change();
    ServiceEntry entry = requireService(state, command.serviceId());
    Service current = entry.service();
    Namespace namespace = requireNamespace(state, current.namespaceId());
    DnsConfig dns = current.dnsConfig();
    if (change.records() != null) {
      if (dns == null) {
        throw RegistryException.invalid(
            "Service " + current.id() + " has no DnsConfig; DnsConfig.DnsRecords cannot be set");
      }
      dns = new DnsConfig(dns.routingPolicy(), change.records());
    }
    ServiceSpec spec =
        new ServiceSpec(
            current.name(),
            current.namespaceId(),
            change.description() != null ? change.description() : current.description(),
            dns,
            change.healthCheckConfig(),
            current.healthCheckCustomConfig(),
            current.creatorRequestId());
    RegistryRules.checkService(spec, namespace);
    Service updated =
        new Service(
            current.id(),
            current.arn(),
            current.name(),
            current.namespaceId(),
            spec.description(),
            spec.dnsConfig(),
            spec.healthCheckConfig(),
            spec.healthCheckCustomConfig(),
            current.creatorRequestId(),
            current.createDate());
    Operation operation =
        context.operation(
            OperationType.UPDATE_SERVICE,
            Map.of(OperationTarget.SERVICE, current.id()),
            null,
            context.identity().regionOf(current.arn()));
    List<StateDelta> changes = new ArrayList<>();
    changes.add(new StateDelta.ServicePut(updated));
    if (!Objects.equals(current.healthCheckConfig(), updated.healthCheckConfig())) {
      for (RegisteredInstance registered : entry.instances().values()) {
        if (registered.instance().owner() == InstanceOwner.KUBERNETES) {
          continue; // readiness is its health, whatever the service checks
        }
        changes.add(
            new StateDelta.HealthSet(
                current.id(),
                registered.instance().id(),
                updated.initialHealth(registered.instance(), context.initialCheckStatus())));
      }
    }
    changes.add(new StateDelta.OperationAdded(operation));
    return new Decision<>(operation, changes, true);
  }

  Decision<String> delete(RegistryState state, DeleteService command) {
    ServiceEntry entry = requireService(state, command.serviceId());
    if (!entry.instances().isEmpty()) {
      throw new RegistryException(
          RegistryError.RESOURCE_IN_USE,
          "Service "
              + command.serviceId()
              + " still has registered instances; deregister them first");
    }
    String id = entry.service().id();
    return Decision.stored(id, new StateDelta.ServiceRemoved(id));
  }

  Decision<String> updateAttributes(RegistryState state, UpdateServiceAttributes command) {
    String id = requireService(state, command.serviceId()).service().id();
    Map<String, String> next = new LinkedHashMap<>(state.serviceAttributes(id));
    next.putAll(command.attributes());
    RegistryRules.checkServiceAttributes(id, next.size());
    return Decision.stored(id, new StateDelta.ServiceAttributesSet(id, next));
  }

  Decision<String> deleteAttributes(RegistryState state, DeleteServiceAttributes command) {
    String id = requireService(state, command.serviceId()).service().id();
    Map<String, String> next = new LinkedHashMap<>(state.serviceAttributes(id));
    next.keySet().removeAll(command.keys());
    return Decision.stored(id, new StateDelta.ServiceAttributesSet(id, next));
  }
}
