package dev.cloudmapdns.server.kubernetes;

import java.util.List;

/** What one pod wants from the registry. */
sealed interface PodMapping {

  /** The instances the pod wants registered (one per service it names), with its readiness. */
  record Register(List<DesiredInstance> instances) implements PodMapping {
    public Register {
      instances = List.copyOf(instances);
    }
  }

  /**
   * Nothing, and rightly so: the pod is not ours, has no IP yet, is terminating or has finished.
   * Whatever it had registered is deregistered.
   */
  record Nothing(String why) implements PodMapping {}

  /**
   * Nothing, because its annotations are wrong (unknown service, broken JSON, no port...). The pod
   * is skipped with a warning (a log line and a Kubernetes Event); whatever it had registered is
   * deregistered.
   */
  record Skip(String reason) implements PodMapping {}
}
