package dev.cloudmapdns.server.dnsview;

import dev.cloudmapdns.dns.zone.Endpoint;
import dev.cloudmapdns.dns.zone.RecordKind;
import dev.cloudmapdns.dns.zone.RecordTemplate;
import dev.cloudmapdns.dns.zone.Routing;
import dev.cloudmapdns.dns.zone.ServiceDefinition;
import dev.cloudmapdns.server.registry.DnsConfig;
import dev.cloudmapdns.server.registry.DnsRecord;
import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.Instance;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.ServiceEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates registry values into the DNS edge's service definitions. The health rule lives here:
 * only HEALTHY instances are answerable, so UNKNOWN (not yet checked) and UNHEALTHY ones never
 * reach DNS, and a service whose instances are all unhealthy answers NODATA.
 *
 * <p>With {@code failOpen}, a service that has no HEALTHY instance answers its UNHEALTHY ones
 * instead, as Route 53 does. UNKNOWN instances are never answered, fail-open or not: an instance
 * that has not passed or failed a first check has not shown it can take traffic.
 */
public final class ZoneDefinitions {
  private final boolean failOpen;

  public ZoneDefinitions() {
    this(false);
  }

  public ZoneDefinitions(boolean failOpen) {
    this.failOpen = failOpen;
  }

  /** One service as DNS sees it, or null when it has no DNS records (an API-only service). */
  public ServiceDefinition service(ServiceEntry entry) {
    DnsConfig dns = entry.service().dnsConfig();
    if (dns == null) {
      return null;
    }
    List<RecordTemplate> records = new ArrayList<>();
    for (DnsRecord record : dns.records()) {
      records.add(new RecordTemplate(RecordKind.valueOf(record.type().name()), record.ttl()));
    }
    HealthStatus answered = answeredStatus(entry);
    List<Endpoint> endpoints = new ArrayList<>(entry.instances().size());
    for (RegisteredInstance registered : entry.instances().values()) {
      endpoints.add(endpoint(registered, registered.health() == answered));
    }
    return new ServiceDefinition(
        entry.service().name(), Routing.valueOf(dns.routingPolicy().name()), records, endpoints);
  }

  /** HEALTHY, unless fail-open applies to this service: then UNHEALTHY. */
  private HealthStatus answeredStatus(ServiceEntry entry) {
    if (!failOpen) {
      return HealthStatus.HEALTHY;
    }
    for (RegisteredInstance registered : entry.instances().values()) {
      if (registered.health() == HealthStatus.HEALTHY) {
        return HealthStatus.HEALTHY;
      }
    }
    return HealthStatus.UNHEALTHY;
  }

  private static Endpoint endpoint(RegisteredInstance registered, boolean answerable) {
    Instance instance = registered.instance();
    return new Endpoint(
        instance.id(),
        instance.ipv4(),
        instance.ipv6(),
        instance.port(),
        instance.cname(),
        answerable);
  }
}
