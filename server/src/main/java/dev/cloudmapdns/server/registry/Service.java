package dev.cloudmapdns.server.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * A Cloud Map service. Without a DNS configuration it is API-only (type HTTP). At most one of the
 * two health configurations is set.
 */
public record Service(
    String id,
    String arn,
    String name,
    String namespaceId,
    String description,
    DnsConfig dnsConfig,
    HealthCheckConfig healthCheckConfig,
    HealthCheckCustomConfig healthCheckCustomConfig,
    String creatorRequestId,
    Instant createDate) {

  public Service {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespaceId, "namespaceId");
    Objects.requireNonNull(createDate, "createDate");
  }

  /** HTTP when the service has no DNS records, DNS_HTTP otherwise (as Cloud Map reports it). */
  public String type() {
    return dnsConfig == null ? "HTTP" : "DNS_HTTP";
  }

  /** The status a newly registered instance starts with, before any check or update. */
  HealthStatus initialHealth(Instance instance, InitialCheckStatus activeChecks) {
    if (instance.owner() == InstanceOwner.KUBERNETES) {
      // Its pod's readiness decides, and the watcher sets it right after registering.
      return HealthStatus.UNHEALTHY;
    }
    if (healthCheckConfig != null) {
      return activeChecks.status();
    }
    if (healthCheckCustomConfig != null) {
      String init = instance.attributes().get(Instance.INIT_HEALTH_STATUS);
      return "UNHEALTHY".equals(init) ? HealthStatus.UNHEALTHY : HealthStatus.HEALTHY;
    }
    return HealthStatus.HEALTHY;
  }

  /**
   * The status a stored instance has after a restart: active checks find theirs again (starting as
   * a new instance would), a custom status and a pod's readiness are kept, and without checks it is
   * healthy.
   */
  HealthStatus restoredHealth(RegisteredInstance stored, InitialCheckStatus activeChecks) {
    if (stored.instance().owner() == InstanceOwner.KUBERNETES) {
      return stored.health();
    }
    if (healthCheckConfig != null) {
      return activeChecks.status();
    }
    return healthCheckCustomConfig != null ? stored.health() : HealthStatus.HEALTHY;
  }
}
