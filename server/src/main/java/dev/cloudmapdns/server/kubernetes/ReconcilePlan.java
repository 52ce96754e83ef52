package dev.cloudmapdns.server.kubernetes;

import dev.cloudmapdns.server.registry.InstanceOwner;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.ServiceEntry;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What it takes to make the registry hold exactly what the pods want: desired (every pod, mapped)
 * against actual (the instances the watcher registered, in the watched namespaces). Pure and
 * idempotent: planning again after the commands ran yields no commands. Instances registered
 * through the API are never in it; a pod that wants one of their ids is skipped.
 *
 * @param commands the steps, deregistrations last
 * @param skipped pods that want nothing because of a problem, by {@code namespace/name}, with the
 *     reason
 * @param wanted how many instances the pods want
 */
record ReconcilePlan(List<InstanceCommand> commands, Map<String, String> skipped, int wanted) {

  /**
   * @param pods every pod the watcher sees
   * @param watched whether a Kubernetes namespace is watched: instances of pods elsewhere are left
   *     alone
   */
  static ReconcilePlan of(
      Collection<Pod> pods, RegistryState state, PodMapper mapper, Predicate<String> watched) {
    Map<String, String> skipped = new LinkedHashMap<>();
    Map<InstanceKey, RegisteredInstance> actual = owned(state, watched);
    Map<InstanceKey, List<DesiredInstance>> claims = new LinkedHashMap<>();
    List<Pod> ordered = new ArrayList<>(pods);
    ordered.sort(Comparator.comparing(PodMapper::podName));
    for (Pod pod : ordered) {
      PodMapping mapping = mapper.map(pod, state);
      if (mapping instanceof PodMapping.Skip skip) {
        skipped.put(PodMapper.podName(pod), skip.reason());
      } else if (mapping instanceof PodMapping.Register register) {
        for (DesiredInstance desired : register.instances()) {
          claims.computeIfAbsent(desired.key(), key -> new ArrayList<>()).add(desired);
        }
      }
    }
    List<InstanceCommand> commands = new ArrayList<>();
    Map<InstanceKey, DesiredInstance> desired = new LinkedHashMap<>();
    for (Map.Entry<InstanceKey, List<DesiredInstance>> claim : claims.entrySet()) {
      InstanceKey key = claim.getKey();
      RegisteredInstance current = registered(state, key);
      if (current != null && current.instance().owner() != InstanceOwner.KUBERNETES) {
        for (DesiredInstance wanted : claim.getValue()) {
          skipped.putIfAbsent(
              wanted.pod(),
              "instance "
                  + key.instanceId()
                  + " of service "
                  + key.serviceId()
                  + " was registered through the API; the watcher leaves it alone");
        }
        continue;
      }
      DesiredInstance winner = winner(claim.getValue(), current);
      for (DesiredInstance loser : claim.getValue()) {
        if (loser != winner) {
          skipped.putIfAbsent(
              loser.pod(),
              "instance id "
                  + key.instanceId()
                  + " of service "
                  + key.serviceId()
                  + " is already taken by pod "
                  + winner.pod());
        }
      }
      desired.put(key, winner);
    }
    // A pod skipped for any reason wants nothing at all, so that it never half-registers.
    desired.values().removeIf(wanted -> skipped.containsKey(wanted.pod()));
    for (DesiredInstance wanted : desired.values()) {
      RegisteredInstance current = actual.get(wanted.key());
      if (current == null || !current.instance().attributes().equals(wanted.attributes())) {
        commands.add(new InstanceCommand.Register(wanted));
      } else if (current.health() != wanted.health()) {
        commands.add(new InstanceCommand.SetReadiness(wanted));
      }
    }
    for (Map.Entry<InstanceKey, RegisteredInstance> entry : actual.entrySet()) {
      if (!desired.containsKey(entry.getKey())) {
        commands.add(new InstanceCommand.Deregister(entry.getKey(), podOf(entry.getValue())));
      }
    }
    return new ReconcilePlan(List.copyOf(commands), Map.copyOf(skipped), desired.size());
  }

  /** The pod that keeps an instance id several pods want: the one that has it, else the first. */
  private static DesiredInstance winner(List<DesiredInstance> claims, RegisteredInstance current) {
    if (current != null) {
      String holder = podOf(current);
      for (DesiredInstance claim : claims) {
        if (claim.pod().equals(holder)) {
          return claim;
        }
      }
    }
    return claims.get(0);
  }

  private static RegisteredInstance registered(RegistryState state, InstanceKey key) {
    ServiceEntry entry = state.services().get(key.serviceId());
    return entry == null ? null : entry.instances().get(key.instanceId());
  }

  /** The watcher's instances whose pods live in watched namespaces. */
  private static Map<InstanceKey, RegisteredInstance> owned(
      RegistryState state, Predicate<String> watched) {
    Map<InstanceKey, RegisteredInstance> owned = new LinkedHashMap<>();
    for (ServiceEntry entry : state.services().values()) {
      for (RegisteredInstance registered : entry.instances().values()) {
        if (registered.instance().owner() == InstanceOwner.KUBERNETES
            && watched.test(registered.instance().attributes().get(PodMapper.K8S_NAMESPACE))) {
          owned.put(new InstanceKey(entry.service().id(), registered.instance().id()), registered);
        }
      }
    }
    return owned;
  }

  private static String podOf(RegisteredInstance registered) {
    Map<String, String> attributes = registered.instance().attributes();
    return attributes.get(PodMapper.K8S_NAMESPACE) + "/" + attributes.get(PodMapper.K8S_POD_NAME);
  }
}
