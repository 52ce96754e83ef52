package dev.cloudmapdns.server.kubernetes;

import dev.cloudmapdns.server.registry.CommandOutcome;
import dev.cloudmapdns.server.registry.InstanceOwner;
import dev.cloudmapdns.server.registry.Registration;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryCommand;
import dev.cloudmapdns.server.registry.RegistryError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a plan's commands against the registry as the Kubernetes watcher ({@link
 * InstanceOwner#KUBERNETES}), all of them in one {@link Registry#executeEach} batch: a rolling
 * update of 1,000 pods is one store transaction and one published state per pass, not one sync and
 * one DNS zone rebuild per pod. A command the registry refuses (an attribute it does not accept, an
 * id taken meanwhile) refuses only itself and is its pod's problem, reported once per pod.
 */
final class PlanRunner {
  private final Registry registry;

  PlanRunner(Registry registry) {
    this.registry = registry;
  }

  /**
   * @return the pods whose commands were refused, with the registry's reason
   * @throws dev.cloudmapdns.server.registry.RegistryStoreException when the store fails: nothing of
   *     the batch was applied, and the pass is retried as a whole later
   */
  Map<String, String> run(ReconcilePlan plan) {
    List<RegistryCommand<?>> commands = new ArrayList<>();
    List<InstanceCommand> sources = new ArrayList<>();
    for (InstanceCommand command : plan.commands()) {
      for (RegistryCommand<?> step : steps(command)) {
        commands.add(step);
        sources.add(command);
      }
    }
    Map<String, String> refused = new LinkedHashMap<>();
    if (commands.isEmpty()) {
      return refused;
    }
    List<CommandOutcome<?>> outcomes = registry.executeEach(commands);
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i) instanceof CommandOutcome.Refused<?> no) {
        InstanceCommand source = sources.get(i);
        boolean alreadyGone =
            source instanceof InstanceCommand.Deregister
                && no.failure().error() == RegistryError.INSTANCE_NOT_FOUND;
        if (!alreadyGone) {
          refused.putIfAbsent(
              source.pod(), "the registry refused it: " + no.failure().getMessage());
        }
      }
    }
    return refused;
  }

  /** The registry commands of one step; a registration is followed by its readiness. */
  private static List<RegistryCommand<?>> steps(InstanceCommand command) {
    if (command instanceof InstanceCommand.Register register) {
      DesiredInstance desired = register.desired();
      return List.of(
          new RegistryCommand.RegisterInstance(
              new Registration(
                  desired.serviceId(),
                  desired.instanceId(),
                  desired.attributes(),
                  null,
                  InstanceOwner.KUBERNETES)),
          readiness(desired));
    } else if (command instanceof InstanceCommand.SetReadiness set) {
      return List.of(readiness(set.desired()));
    } else if (command instanceof InstanceCommand.Deregister deregister) {
      return List.of(
          new RegistryCommand.DeregisterInstance(
              deregister.key().serviceId(),
              deregister.key().instanceId(),
              InstanceOwner.KUBERNETES));
    }
    throw new IllegalArgumentException("unknown step " + command);
  }

  private static RegistryCommand<?> readiness(DesiredInstance desired) {
    return new RegistryCommand.UpdateReadiness(
        desired.serviceId(), desired.instanceId(), desired.health());
  }
}
