package dev.cloudmapdns.server.kubernetes;

/** One step that brings the registry closer to what the pods want. */
sealed interface InstanceCommand {
  /** The pod this step is for, {@code namespace/name}: refusals are reported against it. */
  String pod();

  /** Register the instance, or re-register it with new attributes, then set its readiness. */
  record Register(DesiredInstance desired) implements InstanceCommand {
    @Override
    public String pod() {
      return desired.pod();
    }
  }

  /** The instance is registered as wanted, but its readiness changed. */
  record SetReadiness(DesiredInstance desired) implements InstanceCommand {
    @Override
    public String pod() {
      return desired.pod();
    }
  }

  /** The instance's pod is gone, finished, no longer ours or no longer wants it. */
  record Deregister(InstanceKey key, String pod) implements InstanceCommand {}
}
