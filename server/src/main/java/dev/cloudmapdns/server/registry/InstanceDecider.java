package dev.cloudmapdns.server.registry;

import static dev.cloudmapdns.server.registry.DecisionContext.requireService;
import static dev.cloudmapdns.server.registry.DecisionContext.targets;

import dev.cloudmapdns.server.registry.RegistryCommand.DeregisterInstance;
import dev.cloudmapdns.server.registry.RegistryCommand.RegisterInstance;
import dev.cloudmapdns.server.registry.RegistryCommand.UpdateCustomHealth;
import dev.cloudmapdns.server.registry.RegistryCommand.UpdateHealth;
import dev.cloudmapdns.server.registry.RegistryCommand.UpdateReadiness;
import java.util.List;

/** Instance commands (registrations and health): state + command → decision, nothing else. */
final class InstanceDecider {
  private final DecisionContext context;

  InstanceDecider(DecisionContext context) {
    this.context = context;
  }

  /**
   * A retry with the CreatorRequestId of an earlier registration of the same instance with the same
   * attributes answers with that registration's operation; any other reuse of it is a duplicate, as
   * Cloud Map wants a new id for every registration. A re-registration keeps the health status.
   */
  Decision<Operation> register(RegistryState state, RegisterInstance command) {
    Registration registration = command.registration();
    ServiceEntry entry = requireService(state, registration.serviceId());
    Service service = entry.service();
    String instanceId = registration.instanceId();
    RegistryRules.checkInstance(instanceId, registration.attributes(), service);
    RegisteredInstance previous = entry.instances().get(instanceId);
    RegistryRules.checkOwner(previous, registration.owner(), service.id());
    String requestId = registration.creatorRequestId();
    Operation earlier = RequestIds.earlier(state, OperationType.REGISTER_INSTANCE, requestId);
    if (earlier != null) {
      if (previous != null
          && instanceId.equals(earlier.target(OperationTarget.INSTANCE))
          && service.id().equals(earlier.target(OperationTarget.SERVICE))
          && previous.instance().attributes().equals(registration.attributes())) {
        return Decision.unchanged(earlier);
      }
      throw RequestIds.duplicate(requestId, earlier);
    }
    if (previous == null && entry.instances().size() >= RegistryRules.MAX_INSTANCES_PER_SERVICE) {
      throw new RegistryException(
          RegistryError.RESOURCE_LIMIT_EXCEEDED,
          "Service "
              + service.id()
              + " already has "
              + RegistryRules.MAX_INSTANCES_PER_SERVICE
              + " instances, the most one service may have");
    }
    Instance instance =
        new Instance(
            instanceId,
            registration.attributes(),
            requestId,
            context.clock().instant(),
            registration.owner());
    HealthStatus health =
        previous != null
            ? previous.health()
            : service.initialHealth(instance, context.initialCheckStatus());
    Operation operation =
        context.operation(
            OperationType.REGISTER_INSTANCE,
            targets(service, instanceId),
            requestId,
            context.identity().regionOf(service.arn()));
    return Decision.stored(
        operation,
        new StateDelta.InstancePut(
            service.id(), new RegisteredInstance(instance, health), entry.instancesRevision() + 1),
        new StateDelta.OperationAdded(operation));
  }

  Decision<Operation> deregister(RegistryState state, DeregisterInstance command) {
    ServiceEntry entry = requireService(state, command.serviceId());
    String instanceId = command.instanceId();
    RegisteredInstance current = entry.instances().get(instanceId);
    if (current == null) {
      throw notRegistered(command.serviceId(), instanceId);
    }
    Service service = entry.service();
    RegistryRules.checkOwner(current, command.by(), service.id());
    Operation operation =
        context.operation(
            OperationType.DEREGISTER_INSTANCE,
            targets(service, instanceId),
            null,
            context.identity().regionOf(service.arn()));
    return Decision.stored(
        operation,
        new StateDelta.InstanceRemoved(service.id(), instanceId, entry.instancesRevision() + 1),
        new StateDelta.OperationAdded(operation));
  }

  /**
   * Published, not stored: after a restart the checks find it again; stored on a shared store, as
   * only the replica that owns the check finds it.
   */
  Decision<Boolean> health(RegistryState state, UpdateHealth command) {
    ServiceEntry entry = requireService(state, command.serviceId());
    RegisteredInstance current = entry.instances().get(command.instanceId());
    if (current == null || (command.probed() != null && current.instance() != command.probed())) {
      throw notRegistered(command.serviceId(), command.instanceId());
    }
    RegistryRules.checkOwner(current, InstanceOwner.API, entry.service().id());
    return healthOf(entry, current, command.status(), context.storeCheckHealth());
  }

  /** A pod's readiness, for an instance the Kubernetes watcher registered; stored. */
  Decision<Boolean> readiness(RegistryState state, UpdateReadiness command) {
    ServiceEntry entry = requireService(state, command.serviceId());
    RegisteredInstance current = entry.instances().get(command.instanceId());
    if (current == null) {
      throw notRegistered(command.serviceId(), command.instanceId());
    }
    RegistryRules.checkOwner(current, InstanceOwner.KUBERNETES, entry.service().id());
    return healthOf(entry, current, command.status(), true);
  }

  /** Only for services with HealthCheckCustomConfig; stored. */
  Decision<Boolean> customHealth(RegistryState state, UpdateCustomHealth command) {
    ServiceEntry entry = requireService(state, command.serviceId());
    if (entry.service().healthCheckCustomConfig() == null) {
      throw new RegistryException(
          RegistryError.CUSTOM_HEALTH_NOT_FOUND,
          "Service " + command.serviceId() + " has no HealthCheckCustomConfig");
    }
    RegisteredInstance current = entry.instances().get(command.instanceId());
    if (current == null) {
      throw notRegistered(command.serviceId(), command.instanceId());
    }
    RegistryRules.checkOwner(current, InstanceOwner.API, entry.service().id());
    return healthOf(entry, current, command.status(), true);
  }

  private static Decision<Boolean> healthOf(
      ServiceEntry entry, RegisteredInstance current, HealthStatus status, boolean durable) {
    if (current.health() == status) {
      return Decision.unchanged(false);
    }
    StateDelta change =
        new StateDelta.HealthSet(entry.service().id(), current.instance().id(), status);
    return new Decision<>(true, List.of(change), durable);
  }

  private static RegistryException notRegistered(String serviceId, String instanceId) {
    return new RegistryException(
        RegistryError.INSTANCE_NOT_FOUND,
        "Instance " + instanceId + " is not registered in service " + serviceId);
  }
}
