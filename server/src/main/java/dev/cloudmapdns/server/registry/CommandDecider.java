package dev.cloudmapdns.server.registry;

import dev.cloudmapdns.server.registry.RegistryCommand.CreateNamespace;
import dev.cloudmapdns.server.registry.RegistryCommand.CreateService;
import dev.cloudmapdns.server.registry.RegistryCommand.DeleteNamespace;
import dev.cloudmapdns.server.registry.RegistryCommand.DeleteService;
import dev.cloudmapdns.server.registry.RegistryCommand.DeleteServiceAttributes;
import dev.cloudmapdns.server.registry.RegistryCommand.DeregisterInstance;
import dev.cloudmapdns.server.registry.RegistryCommand.RegisterInstance;
import dev.cloudmapdns.server.registry.RegistryCommand.TagResource;
import dev.cloudmapdns.server.registry.RegistryCommand.UntagResource;
import dev.cloudmapdns.server.registry.RegistryCommand.UpdateCustomHealth;
import dev.cloudmapdns.server.registry.RegistryCommand.UpdateHealth;
import dev.cloudmapdns.server.registry.RegistryCommand.UpdateNamespace;
import dev.cloudmapdns.server.registry.RegistryCommand.UpdateReadiness;
import dev.cloudmapdns.server.registry.RegistryCommand.UpdateService;
import dev.cloudmapdns.server.registry.RegistryCommand.UpdateServiceAttributes;

/**
 * Hands each command to the decider of its resource. Deciding reads the given state only and
 * changes nothing: it returns the command's answer and state deltas, or throws the refusal.
 */
final class CommandDecider {
  private final NamespaceDecider namespaces;
  private final ServiceDecider services;
  private final InstanceDecider instances;

  CommandDecider(DecisionContext context) {
    this.namespaces = new NamespaceDecider(context);
    this.services = new ServiceDecider(context);
    this.instances = new InstanceDecider(context);
  }

  /**
   * @throws RegistryException when the command is refused
   */
  @SuppressWarnings("unchecked") // each branch's answer type is the command's T
  <T> Decision<T> decide(RegistryState state, RegistryCommand<T> command) {
    return (Decision<T>) decideAny(state, command);
  }

  private Decision<?> decideAny(RegistryState state, RegistryCommand<?> command) {
    if (command instanceof RegisterInstance c) {
      return instances.register(state, c);
    } else if (command instanceof UpdateHealth c) {
      return instances.health(state, c);
    } else if (command instanceof DeregisterInstance c) {
      return instances.deregister(state, c);
    } else if (command instanceof UpdateCustomHealth c) {
      return instances.customHealth(state, c);
    } else if (command instanceof UpdateReadiness c) {
      return instances.readiness(state, c);
    } else if (command instanceof CreateNamespace c) {
      return namespaces.create(state, c);
    } else if (command instanceof UpdateNamespace c) {
      return namespaces.update(state, c);
    } else if (command instanceof DeleteNamespace c) {
      return namespaces.delete(state, c);
    } else if (command instanceof CreateService c) {
      return services.create(state, c);
    } else if (command instanceof UpdateService c) {
      return services.update(state, c);
    } else if (command instanceof DeleteService c) {
      return services.delete(state, c);
    } else if (command instanceof UpdateServiceAttributes c) {
      return services.updateAttributes(state, c);
    } else if (command instanceof DeleteServiceAttributes c) {
      return services.deleteAttributes(state, c);
    } else if (command instanceof TagResource c) {
      return TagDecider.tag(state, c);
    } else if (command instanceof UntagResource c) {
      return TagDecider.untag(state, c);
    }
    throw new IllegalArgumentException("unknown command " + command);
  }
}
