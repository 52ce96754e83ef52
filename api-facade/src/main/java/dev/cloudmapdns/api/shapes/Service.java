package dev.cloudmapdns.api.shapes;

import java.time.Instant;

/** Cloud Map's {@code Service} (and {@code ServiceSummary}). */
public record Service(
    String id,
    String arn,
    String resourceOwner,
    String name,
    String namespaceId,
    String description,
    Integer instanceCount,
    DnsConfig dnsConfig,
    String type,
    HealthCheckConfig healthCheckConfig,
    HealthCheckCustomConfig healthCheckCustomConfig,
    Instant createDate,
    String creatorRequestId,
    String createdByAccount) {

  /** The summary that ListServices returns: everything but the namespace and request ids. */
  public Service summary() {
    return new Service(
        id,
        arn,
        resourceOwner,
        name,
        null,
        description,
        instanceCount,
        dnsConfig,
        type,
        healthCheckConfig,
        healthCheckCustomConfig,
        createDate,
        null,
        createdByAccount);
  }
}
