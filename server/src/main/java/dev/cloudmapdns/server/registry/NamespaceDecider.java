package dev.cloudmapdns.server.registry;

import static dev.cloudmapdns.server.registry.DecisionContext.requireNamespace;

import dev.cloudmapdns.server.registry.RegistryCommand.CreateNamespace;
import dev.cloudmapdns.server.registry.RegistryCommand.DeleteNamespace;
import dev.cloudmapdns.server.registry.RegistryCommand.UpdateNamespace;
import java.util.Map;

/** Namespace commands: state + command → decision, nothing else. */
final class NamespaceDecider {
  private final DecisionContext context;

  NamespaceDecider(DecisionContext context) {
    this.context = context;
  }

  Decision<Operation> create(RegistryState state, CreateNamespace command) {
    NamespaceSpec spec = command.spec();
    RegistryRules.checkNamespace(spec);
    Operation earlier =
        RequestIds.earlier(state, OperationType.CREATE_NAMESPACE, spec.creatorRequestId());
    if (earlier != null) {
      Namespace existing = state.namespaces().get(earlier.target(OperationTarget.NAMESPACE));
      if (existing != null
          && existing.name().equals(spec.name())
          && existing.type() == spec.type()) {
        return Decision.unchanged(earlier);
      }
      throw RequestIds.duplicate(spec.creatorRequestId(), earlier);
    }
    state
        .namespaceNamed(spec.name())
        .ifPresent(
            existing -> {
              throw RegistryException.namespaceExists(
                  "Namespace " + spec.name() + " already exists (" + existing.id() + ")", existing);
            });
    RegistryRules.checkTags("Namespace " + spec.name(), command.tags().size());
    RegistryIdentity identity = context.identity();
    String id = identity.newNamespaceId();
    Namespace namespace =
        new Namespace(
            id,
            identity.namespaceArn(id, command.region()),
            spec.name(),
            spec.type(),
            spec.description(),
            spec.soaTtl() == null ? Namespace.DEFAULT_SOA_TTL : spec.soaTtl(),
            spec.vpc(),
            spec.creatorRequestId(),
            context.clock().instant());
    Operation operation =
        context.operation(
            OperationType.CREATE_NAMESPACE,
            Map.of(OperationTarget.NAMESPACE, id),
            spec.creatorRequestId(),
            command.region());
    return Decision.stored(
        operation,
        new StateDelta.NamespacePut(namespace),
        new StateDelta.TagsSet(id, command.tags()),
        new StateDelta.OperationAdded(operation));
  }

  Decision<Operation> update(RegistryState state, UpdateNamespace command) {
    NamespacePatch change = command.change();
    Namespace current = requireNamespace(state, command.namespaceId());
    RegistryRules.checkNamespaceChange(change, current);
    Operation earlier =
        RequestIds.earlier(state, OperationType.UPDATE_NAMESPACE, change.requestId());
    if (earlier != null) {
      if (current.id().equals(earlier.target(OperationTarget.NAMESPACE))) {
        return Decision.unchanged(earlier);
      }
      throw RequestIds.duplicate(change.requestId(), earlier);
    }
    Namespace updated =
        new Namespace(
            current.id(),
            current.arn(),
            current.name(),
            current.type(),
            change.description() != null ? change.description() : current.description(),
            change.soaTtl() != null ? change.soaTtl() : current.soaTtl(),
            current.vpc(),
            current.creatorRequestId(),
            current.createDate());
    Operation operation =
        context.operation(
            OperationType.UPDATE_NAMESPACE,
            Map.of(OperationTarget.NAMESPACE, current.id()),
            change.requestId(),
            context.identity().regionOf(current.arn()));
    return Decision.stored(
        operation, new StateDelta.NamespacePut(updated), new StateDelta.OperationAdded(operation));
  }

  Decision<Operation> delete(RegistryState state, DeleteNamespace command) {
    Namespace namespace = requireNamespace(state, command.namespaceId());
    if (state.serviceCountIn(namespace.id()) > 0) {
      throw new RegistryException(
          RegistryError.RESOURCE_IN_USE,
          "Namespace " + command.namespaceId() + " still has services; delete them first");
    }
    Operation operation =
        context.operation(
            OperationType.DELETE_NAMESPACE,
            Map.of(OperationTarget.NAMESPACE, namespace.id()),
            null,
            context.identity().regionOf(namespace.arn()));
    return Decision.stored(
        operation,
        new StateDelta.NamespaceRemoved(namespace.id()),
        new StateDelta.OperationAdded(operation));
  }
}
