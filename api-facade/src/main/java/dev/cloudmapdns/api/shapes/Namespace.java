package dev.cloudmapdns.api.shapes;

import java.time.Instant;

/** Cloud Map's {@code Namespace} (also its {@code NamespaceSummary}, which lacks only the id). */
public record Namespace(
    String id,
    String arn,
    String resourceOwner,
    String name,
    String type,
    String description,
    Integer serviceCount,
    NamespaceProperties properties,
    Instant createDate,
    String creatorRequestId) {

  /** The summary that ListNamespaces returns: everything but the CreatorRequestId. */
  public Namespace summary() {
    return new Namespace(
        id,
        arn,
        resourceOwner,
        name,
        type,
        description,
        serviceCount,
        properties,
        createDate,
        null);
  }
}
