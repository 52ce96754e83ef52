package dev.cloudmapdns.dns.testing;

import dev.cloudmapdns.dns.zone.DnsZone;
import dev.cloudmapdns.dns.zone.DnsZoneCompiler;
import dev.cloudmapdns.dns.zone.DnsZoneSet;
import dev.cloudmapdns.dns.zone.DnsZoneSource;
import dev.cloudmapdns.dns.zone.Endpoint;
import dev.cloudmapdns.dns.zone.RecordKind;
import dev.cloudmapdns.dns.zone.RecordTemplate;
import dev.cloudmapdns.dns.zone.Routing;
import dev.cloudmapdns.dns.zone.ServiceDefinition;
import dev.cloudmapdns.dns.zone.ZoneAuthority;
import dev.cloudmapdns.dns.zone.ZoneDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * Builders for test zones, so that a test states the registry it runs against in Cloud Map's words:
 *
 * <pre>{@code
 * ZoneDefinition appLocal =
 *     zone("app.local")
 *         .with(service("backend-api").a(60).with(instance("b-1").ipv4("10.0.0.1")))
 *         .build();
 * DnsZoneSource source = ZoneFixtures.source(appLocal);
 * }</pre>
 *
 * Defaults: SOA TTL 15 (Cloud Map's default), serial 1, MULTIVALUE routing, instances answerable.
 */
public final class ZoneFixtures {
  /** The SOA TTL of a zone built without {@link ZoneBuilder#soaTtl(long)}. */
  public static final long DEFAULT_SOA_TTL = 15;

  private ZoneFixtures() {}

  /** A DNS namespace named {@code name}, without services yet. */
  public static ZoneBuilder zone(String name) {
    return new ZoneBuilder(name);
  }

  /** A MULTIVALUE service without record types or instances yet. */
  public static ServiceBuilder service(String name) {
    return new ServiceBuilder(name);
  }

  /** A healthy (answerable) instance without attributes yet. */
  public static EndpointBuilder instance(String id) {
    return new EndpointBuilder(id);
  }

  /** The zones compiled with {@link ZoneAuthority#defaults()}, keyed by apex as the server does. */
  public static DnsZoneSet compile(ZoneDefinition... zones) {
    DnsZoneCompiler compiler = new DnsZoneCompiler(ZoneAuthority.defaults());
    Map<Name, DnsZone> byApex = new LinkedHashMap<>();
    for (ZoneDefinition definition : zones) {
      DnsZone zone = compiler.compile(definition);
      byApex.put(zone.apex(), zone);
    }
    return DnsZoneSet.of(byApex);
  }

  /** A source that always returns the same compiled zones. */
  public static DnsZoneSource source(ZoneDefinition... zones) {
    DnsZoneSet set = compile(zones);
    return () -> set;
  }

  /** Builds a {@link ZoneDefinition}. */
  public static final class ZoneBuilder {
    private final String name;
    private long soaTtl = DEFAULT_SOA_TTL;
    private long serial = 1;
    private final List<ServiceDefinition> services = new ArrayList<>();

    private ZoneBuilder(String name) {
      this.name = name;
    }

    public ZoneBuilder soaTtl(long ttl) {
      this.soaTtl = ttl;
      return this;
    }

    public ZoneBuilder serial(long serial) {
      this.serial = serial;
      return this;
    }

    public ZoneBuilder with(ServiceBuilder... services) {
      for (ServiceBuilder service : services) {
        this.services.add(service.build());
      }
      return this;
    }

    public ZoneBuilder with(ServiceDefinition service) {
      services.add(service);
      return this;
    }

    public ZoneDefinition build() {
      return new ZoneDefinition(name, soaTtl, serial, services);
    }
  }

  /** Builds a {@link ServiceDefinition}: routing, DnsRecords (type and TTL) and instances. */
  public static final class ServiceBuilder {
    private final String name;
    private Routing routing = Routing.MULTIVALUE;
    private final List<RecordTemplate> records = new ArrayList<>();
    private final List<Endpoint> endpoints = new ArrayList<>();

    private ServiceBuilder(String name) {
      this.name = name;
    }

    public ServiceBuilder weighted() {
      this.routing = Routing.WEIGHTED;
      return this;
    }

    public ServiceBuilder multivalue() {
      this.routing = Routing.MULTIVALUE;
      return this;
    }

    public ServiceBuilder a(long ttl) {
      return record(RecordKind.A, ttl);
    }

    public ServiceBuilder aaaa(long ttl) {
      return record(RecordKind.AAAA, ttl);
    }

    public ServiceBuilder srv(long ttl) {
      return record(RecordKind.SRV, ttl);
    }

    public ServiceBuilder cname(long ttl) {
      return record(RecordKind.CNAME, ttl);
    }

    public ServiceBuilder record(RecordKind kind, long ttl) {
      records.add(new RecordTemplate(kind, ttl));
      return this;
    }

    public ServiceBuilder with(EndpointBuilder... instances) {
      for (EndpointBuilder instance : instances) {
        endpoints.add(instance.build());
      }
      return this;
    }

    public ServiceBuilder with(List<Endpoint> instances) {
      endpoints.addAll(instances);
      return this;
    }

    public ServiceDefinition build() {
      return new ServiceDefinition(name, routing, records, endpoints);
    }
  }

  /** Builds an {@link Endpoint}: the attributes of one registered instance and its health. */
  public static final class EndpointBuilder {
    private final String id;
    private String ipv4;
    private String ipv6;
    private Integer port;
    private String cname;
    private boolean answerable = true;

    private EndpointBuilder(String id) {
      this.id = id;
    }

    /** {@code AWS_INSTANCE_IPV4}. */
    public EndpointBuilder ipv4(String address) {
      this.ipv4 = address;
      return this;
    }

    /** {@code AWS_INSTANCE_IPV6}. */
    public EndpointBuilder ipv6(String address) {
      this.ipv6 = address;
      return this;
    }

    /** {@code AWS_INSTANCE_PORT}. */
    public EndpointBuilder port(int port) {
      this.port = port;
      return this;
    }

    /** {@code AWS_INSTANCE_CNAME}. */
    public EndpointBuilder cname(String target) {
      this.cname = target;
      return this;
    }

    /** The registry's health rules say this instance must not be answered. */
    public EndpointBuilder unhealthy() {
      this.answerable = false;
      return this;
    }

    public Endpoint build() {
      return new Endpoint(id, ipv4, ipv6, port, cname, answerable);
    }
  }
}
