package dev.cloudmapdns.server.testing;

import dev.cloudmapdns.server.registry.DnsConfig;
import dev.cloudmapdns.server.registry.DnsRecord;
import dev.cloudmapdns.server.registry.HealthCheckConfig;
import dev.cloudmapdns.server.registry.HealthCheckCustomConfig;
import dev.cloudmapdns.server.registry.HealthCheckType;
import dev.cloudmapdns.server.registry.RecordType;
import dev.cloudmapdns.server.registry.RoutingPolicy;
import dev.cloudmapdns.server.registry.ServiceSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A service spec: MULTIVALUE with no records (an API-only, type HTTP service) and no health
 * configuration unless told otherwise.
 *
 * <pre>{@code
 * ServiceSpec spec = service("backend-api").in(namespaceId).records(A, SRV).build();
 * }</pre>
 */
public final class ServiceSpecBuilder {
  public static final long DEFAULT_TTL = 60;

  private final String name;
  private String namespaceId;
  private String description;
  private RoutingPolicy routing = RoutingPolicy.MULTIVALUE;
  private final List<DnsRecord> records = new ArrayList<>();
  private boolean dns;
  private HealthCheckConfig healthCheck;
  private HealthCheckCustomConfig customHealth;

  private ServiceSpecBuilder(String name) {
    this.name = name;
  }

  public static ServiceSpecBuilder service(String name) {
    return new ServiceSpecBuilder(name);
  }

  public ServiceSpecBuilder in(String namespaceId) {
    this.namespaceId = namespaceId;
    return this;
  }

  public ServiceSpecBuilder description(String description) {
    this.description = description;
    return this;
  }

  /** Adds these record types, each with {@link #DEFAULT_TTL}. */
  public ServiceSpecBuilder records(RecordType... types) {
    for (RecordType type : types) {
      record(type, DEFAULT_TTL);
    }
    return this;
  }

  public ServiceSpecBuilder record(RecordType type, long ttl) {
    dns = true;
    records.add(new DnsRecord(type, ttl));
    return this;
  }

  /** A DnsConfig without any record (which the rules refuse). */
  public ServiceSpecBuilder emptyDnsConfig() {
    dns = true;
    records.clear();
    return this;
  }

  public ServiceSpecBuilder weighted() {
    routing = RoutingPolicy.WEIGHTED;
    return this;
  }

  public ServiceSpecBuilder healthCheck(HealthCheckType type, String resourcePath, int threshold) {
    healthCheck = new HealthCheckConfig(type, resourcePath, threshold);
    return this;
  }

  /** An HTTP check of {@code /health} with threshold 1. */
  public ServiceSpecBuilder httpHealthCheck() {
    return healthCheck(HealthCheckType.HTTP, "/health", 1);
  }

  public ServiceSpecBuilder customHealth(int threshold) {
    customHealth = new HealthCheckCustomConfig(threshold);
    return this;
  }

  public ServiceSpecBuilder customHealth() {
    return customHealth(1);
  }

  public ServiceSpec build() {
    DnsConfig dnsConfig = dns ? new DnsConfig(routing, records) : null;
    return new ServiceSpec(
        name, namespaceId, description, dnsConfig, healthCheck, customHealth, null);
  }
}
