package dev.cloudmapdns.server.kubernetes;

/**
 * The labels and annotations the watcher reads: KECS's own, unchanged, and the two of ours for any
 * other pod. See docs/kubernetes.md.
 */
final class PodKeys {
  /** KECS: the ECS service's {@code serviceRegistries}, a JSON array. */
  static final String KECS_SERVICE_REGISTRIES = "kecs.dev/service-registries";

  /** KECS label: the ECS task id, which becomes the instance id. */
  static final String KECS_TASK_ID = "kecs.dev/task-id";

  /** KECS label: the ECS cluster's name. */
  static final String KECS_CLUSTER = "kecs.dev/cluster";

  /** KECS label: the ECS service's name. */
  static final String KECS_SERVICE = "kecs.dev/service";

  /** KECS annotation (a label when it fits one): the task definition's ARN. */
  static final String KECS_TASK_DEFINITION = "kecs.dev/task-definition";

  /** Ours: the Cloud Map service, as its id, its ARN or {@code namespace-name/service-name}. */
  static final String SERVICE = "cloudmap-dns.io/service";

  /** Ours: the instance's port, a number or the name of a container port. */
  static final String PORT = "cloudmap-dns.io/port";

  /** Node label with the node's availability zone. */
  static final String ZONE = "topology.kubernetes.io/zone";

  private PodKeys() {}
}
