package dev.cloudmapdns.server.kubernetes;

import dev.cloudmapdns.server.registry.InstanceOwner;
import dev.cloudmapdns.server.registry.Registration;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryError;
import dev.cloudmapdns.server.registry.RegistryException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a plan's commands against the registry as the Kubernetes watcher ({@link
 * InstanceOwner#KUBERNETES}). A command the registry refuses (an attribute it does not accept, an
 * id taken meanwhile) is the pod's problem, reported once per pod; the others still run.
 */
final class PlanRunner {
  private final Registry registry;

  PlanRunner(Registry registry) {
    this.registry = registry;
  }

  /**
   * @return the pods whose commands were refused, with the registry's reason
   * @throws dev.cloudmapdns.server.registry.RegistryStoreException when the store fails: the pass
   *     is retried as a whole later
   */
  Map<String, String> run(ReconcilePlan plan) {
    Map<String, String> refused = new LinkedHashMap<>();
    for (InstanceCommand command : plan.commands()) {
      try {
        apply(command);
      } catch (RegistryException e) {
        if (!(command instanceof InstanceCommand.Deregister
            && e.error() == RegistryError.INSTANCE_NOT_FOUND)) {
          refused.putIfAbsent(command.pod(), "the registry refused it: " + e.getMessage());
        }
      }
    }
    return refused;
  }

  private void apply(InstanceCommand command) {
    if (command instanceof InstanceCommand.Register register) {
      DesiredInstance desired = register.desired();
      registry.registerInstance(
          new Registration(
              desired.serviceId(),
              desired.instanceId(),
              desired.attributes(),
              null,
              InstanceOwner.KUBERNETES));
      registry.updateReadiness(desired.serviceId(), desired.instanceId(), desired.health());
    } else if (command instanceof InstanceCommand.SetReadiness readiness) {
      DesiredInstance desired = readiness.desired();
      registry.updateReadiness(desired.serviceId(), desired.instanceId(), desired.health());
    } else if (command instanceof InstanceCommand.Deregister deregister) {
      registry.deregisterInstance(
          deregister.key().serviceId(), deregister.key().instanceId(), InstanceOwner.KUBERNETES);
    }
  }
}
