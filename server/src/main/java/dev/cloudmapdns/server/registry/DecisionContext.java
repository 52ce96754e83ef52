package dev.cloudmapdns.server.registry;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * What every decider needs besides the state and the command: who the registry is (ids, ARNs), the
 * clock, what a checked instance starts as, and whether health found by active checks is stored (on
 * a store shared by replicas, so that every replica answers what the one checking found); and the
 * look-ups every command starts with.
 */
record DecisionContext(
    RegistryIdentity identity,
    Clock clock,
    InitialCheckStatus initialCheckStatus,
    boolean storeCheckHealth) {

  Operation operation(
      OperationType type, Map<OperationTarget, String> targets, String requestId, String region) {
    Instant now = clock.instant();
    return new Operation(
        identity.newOperationId(),
        type,
        OperationStatus.SUCCESS,
        targets,
        now,
        now,
        requestId,
        region);
  }

  static Map<OperationTarget, String> targets(Service service, String instanceId) {
    Map<OperationTarget, String> targets = new EnumMap<>(OperationTarget.class);
    targets.put(OperationTarget.NAMESPACE, service.namespaceId());
    targets.put(OperationTarget.SERVICE, service.id());
    targets.put(OperationTarget.INSTANCE, instanceId);
    return targets;
  }

  static Namespace requireNamespace(RegistryState state, String namespaceId) {
    return state
        .namespace(namespaceId)
        .orElseThrow(
            () ->
                new RegistryException(
                    RegistryError.NAMESPACE_NOT_FOUND, "Namespace " + namespaceId + " not found"));
  }

  static ServiceEntry requireService(RegistryState state, String serviceId) {
    return state
        .service(serviceId)
        .orElseThrow(
            () ->
                new RegistryException(
                    RegistryError.SERVICE_NOT_FOUND, "Service " + serviceId + " not found"));
  }
}
