package dev.cloudmapdns.server.health;

/**
 * Which instances this server runs the active checks of. Alone, every one; replicas sharing a store
 * (etcd) split them, so that each instance is checked once across the fleet, and move a dead
 * replica's instances to the others when it leaves. The health workers ask before starting a check
 * and reconcile every check when they are told that the owners changed.
 */
public interface CheckOwnership {

  /** Every instance, for a server that is alone. */
  CheckOwnership EVERY_INSTANCE = (serviceId, instanceId) -> true;

  /** Whether this server checks the instance. */
  boolean owns(String serviceId, String instanceId);

  /** Calls {@code changed} (from any thread) whenever {@link #owns} may answer differently. */
  default void onChange(Runnable changed) {}
}
