package dev.cloudmapdns.server.registry;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A registered instance: its id and attributes, Cloud Map's reserved ones and custom ones, and who
 * registered it ({@link InstanceOwner}).
 */
public record Instance(
    String id,
    Map<String, String> attributes,
    String creatorRequestId,
    Instant registeredAt,
    InstanceOwner owner) {
  public static final String IPV4 = "AWS_INSTANCE_IPV4";
  public static final String IPV6 = "AWS_INSTANCE_IPV6";
  public static final String PORT = "AWS_INSTANCE_PORT";
  public static final String CNAME = "AWS_INSTANCE_CNAME";
  public static final String ALIAS_DNS_NAME = "AWS_ALIAS_DNS_NAME";
  public static final String INIT_HEALTH_STATUS = "AWS_INIT_HEALTH_STATUS";
  public static final String EC2_INSTANCE_ID = "AWS_EC2_INSTANCE_ID";

  public Instance {
    Objects.requireNonNull(id, "id");
    attributes = Map.copyOf(attributes);
    Objects.requireNonNull(registeredAt, "registeredAt");
    Objects.requireNonNull(owner, "owner");
  }

  /** An instance registered through the API. */
  public Instance(
      String id, Map<String, String> attributes, String creatorRequestId, Instant registeredAt) {
    this(id, attributes, creatorRequestId, registeredAt, InstanceOwner.API);
  }

  public String ipv4() {
    return attributes.get(IPV4);
  }

  public String ipv6() {
    return attributes.get(IPV6);
  }

  public String cname() {
    return attributes.get(CNAME);
  }

  /** The port attribute, or null when absent (validation guarantees it parses when present). */
  public Integer port() {
    String port = attributes.get(PORT);
    return port == null ? null : Integer.valueOf(port);
  }
}
