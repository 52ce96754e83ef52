package dev.cloudmapdns.server.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * A Cloud Map namespace. For DNS namespaces {@code soaTtl} is the SOA record's TTL, which is also
 * the negative-caching TTL of the zone; for HTTP namespaces it is unused.
 */
public record Namespace(
    String id,
    String arn,
    String name,
    NamespaceType type,
    String description,
    long soaTtl,
    String vpc,
    String creatorRequestId,
    Instant createDate) {

  /** Cloud Map's SOA TTL when a namespace is created without one. */
  public static final long DEFAULT_SOA_TTL = 15;

  public Namespace {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(createDate, "createDate");
  }
}
