package dev.cloudmapdns.server.registry;

/**
 * Who registered an instance, and so who may change it. An instance belongs to the way it came in
 * for its whole life: the API (and the seed loader) cannot re-register, deregister or set the
 * health of an instance the Kubernetes watcher registered, and the watcher never touches one that
 * came through the API. Stored with the instance, so it survives a restart.
 */
public enum InstanceOwner {
  /** RegisterInstance, or the seed file: changed only through the API. */
  API,
  /**
   * The Kubernetes watcher, from a pod: it follows the pod, its health is the pod's readiness, and
   * no active check ever probes it.
   */
  KUBERNETES
}
