package dev.cloudmapdns.server.registry;

import java.util.Map;
import java.util.Objects;

/**
 * A RegisterInstance request: a new instance, or new attributes for the one with this id; {@code
 * owner} is who asks ({@link InstanceOwner}).
 */
public record Registration(
    String serviceId,
    String instanceId,
    Map<String, String> attributes,
    String creatorRequestId,
    InstanceOwner owner) {
  public Registration {
    Objects.requireNonNull(owner, "owner");
  }

  /** A registration through the API. */
  public Registration(
      String serviceId,
      String instanceId,
      Map<String, String> attributes,
      String creatorRequestId) {
    this(serviceId, instanceId, attributes, creatorRequestId, InstanceOwner.API);
  }
}
