package dev.cloudmapdns.dns.zone;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Turns a {@link ZoneDefinition} into the {@link DnsZone} that queries read. This is where Cloud
 * Map's record rules live: {@code <service>.<namespace>} carries the service's record types, SRV
 * values point at {@code <instance-id>.<service>.<namespace>}, and those host names carry the
 * instance's addresses.
 */
public final class DnsZoneCompiler {
  /** SOA timers (refresh, retry, expire): conventional values, meaningless without transfers. */
  private static final long REFRESH = 7200;

  private static final long RETRY = 900;
  private static final long EXPIRE = 1_209_600;
  private static final int SRV_PRIORITY = 1;
  private static final int SRV_WEIGHT = 1;

  private final ZoneAuthority authority;

  public DnsZoneCompiler(ZoneAuthority authority) {
    this.authority = authority;
  }

  /**
   * Compiles one zone.
   *
   * @throws InvalidZoneException when the zone or a service name is not a valid DNS name
   */
  public DnsZone compile(ZoneDefinition definition) {
    Name apex = apex(definition.name());
    List<CompiledService> services = new ArrayList<>(definition.services().size());
    for (ServiceDefinition service : definition.services()) {
      services.add(compileService(apex, service));
    }
    return assemble(apex, definition.soaTtl(), definition.serial(), services);
  }

  /**
   * The zone apex for a namespace name.
   *
   * @throws InvalidZoneException when the name is not a valid DNS name
   */
  public Name apex(String zoneName) {
    return parse(zoneName, Name.root);
  }

  /**
   * Compiles one service of the zone at {@code apex} on its own, so that a change to one service
   * recompiles only that service: {@link #assemble} then puts the zone together from the parts.
   *
   * @throws InvalidZoneException when the service name is not a valid DNS name
   */
  public CompiledService compileService(Name apex, ServiceDefinition service) {
    Name serviceName = ".".equals(service.name()) ? apex : parse(service.name(), apex);
    Map<Name, Map<Integer, RecordChoice>> hosts = new LinkedHashMap<>();
    DnsNode node = new DnsNode(compileService(serviceName, service, hosts));
    Map<Name, DnsNode> hostNodes = new LinkedHashMap<>();
    hosts.forEach((name, byType) -> hostNodes.put(name, new DnsNode(byType)));
    return new CompiledService(serviceName, node, hostNodes);
  }

  /**
   * Puts a zone together from its compiled services: the SOA and NS at the apex, every service's
   * name and host names, and the empty non-terminals between them and the apex.
   */
  public DnsZone assemble(Name apex, long soaTtl, long serial, List<CompiledService> services) {
    return assemble(soaTtl, serial, ZoneContent.of(apex, services));
  }

  /**
   * Puts a zone together from content kept up to date service by service ({@link
   * ZoneContent#replace}): only the apex records are new, so this costs the same whatever the size
   * of the zone.
   */
  public DnsZone assemble(long soaTtl, long serial, ZoneContent content) {
    Name apex = content.apex();
    SOARecord soa =
        new SOARecord(
            apex,
            DClass.IN,
            soaTtl,
            authority.nameServer(),
            authority.hostmaster(),
            serial & 0xFFFF_FFFFL,
            REFRESH,
            RETRY,
            EXPIRE,
            soaTtl);
    NSRecord ns = new NSRecord(apex, DClass.IN, soaTtl, authority.nameServer());
    return new DnsZone(apex, soa, ns, content.nodes(), content.emptyNonTerminals());
  }

  private Map<Integer, RecordChoice> compileService(
      Name serviceName, ServiceDefinition service, Map<Name, Map<Integer, RecordChoice>> hosts) {
    Map<RecordKind, Long> ttls = new EnumMap<>(RecordKind.class);
    for (RecordTemplate template : service.records()) {
      ttls.put(template.kind(), template.ttl());
    }
    int limit = service.routing().answerLimit();
    Map<Integer, List<Candidate>> candidates = new HashMap<>();
    for (RecordKind kind : ttls.keySet()) {
      candidates.put(kind.type(), new ArrayList<>());
    }

    Long srvTtl = ttls.get(RecordKind.SRV);
    // Host records of SRV targets take the TTL of the service's A/AAAA records, else the SRV TTL.
    long hostATtl = ttls.getOrDefault(RecordKind.A, srvTtl == null ? 0 : srvTtl);
    long hostAaaaTtl = ttls.getOrDefault(RecordKind.AAAA, srvTtl == null ? 0 : srvTtl);

    for (Endpoint endpoint : service.endpoints()) {
      byte[] v4 = address(endpoint.ipv4(), Address.IPv4);
      byte[] v6 = address(endpoint.ipv6(), Address.IPv6);
      if (endpoint.answerable()) {
        if (v4 != null && ttls.containsKey(RecordKind.A)) {
          candidates
              .get(Type.A)
              .add(Candidate.of(new ARecord(serviceName, DClass.IN, ttls.get(RecordKind.A), v4)));
        }
        if (v6 != null && ttls.containsKey(RecordKind.AAAA)) {
          candidates
              .get(Type.AAAA)
              .add(
                  Candidate.of(
                      new AAAARecord(serviceName, DClass.IN, ttls.get(RecordKind.AAAA), v6)));
        }
        if (endpoint.cname() != null && ttls.containsKey(RecordKind.CNAME)) {
          Name target = parseOrNull(endpoint.cname());
          if (target != null) {
            candidates
                .get(Type.CNAME)
                .add(
                    Candidate.of(
                        new CNAMERecord(
                            serviceName, DClass.IN, ttls.get(RecordKind.CNAME), target)));
          }
        }
      }
      if (srvTtl == null || !HostNames.isHostLabelSequence(endpoint.instanceId())) {
        continue;
      }
      Name host = parseOrNull(endpoint.instanceId() + "." + serviceName);
      if (host == null) {
        continue;
      }
      host = Names.lowerCase(host);
      List<Record> hostRecords = new ArrayList<>(2);
      if (v4 != null) {
        hostRecords.add(new ARecord(host, DClass.IN, hostATtl, v4));
      }
      if (v6 != null) {
        hostRecords.add(new AAAARecord(host, DClass.IN, hostAaaaTtl, v6));
      }
      hosts.put(host, hostNode(hostRecords, endpoint.answerable()));
      if (endpoint.answerable() && endpoint.port() != null) {
        SRVRecord srv =
            new SRVRecord(
                serviceName, DClass.IN, srvTtl, SRV_PRIORITY, SRV_WEIGHT, endpoint.port(), host);
        candidates.get(Type.SRV).add(new Candidate(srv, hostRecords));
      }
    }

    Map<Integer, RecordChoice> byType = new HashMap<>();
    candidates.forEach(
        (type, list) -> byType.put(type, new RecordChoice(list, type == Type.CNAME ? 1 : limit)));
    return byType;
  }

  private static Map<Integer, RecordChoice> hostNode(List<Record> records, boolean answerable) {
    Map<Integer, RecordChoice> byType = new HashMap<>();
    for (Record record : records) {
      List<Candidate> values = answerable ? List.of(Candidate.of(record)) : List.of();
      byType.put(record.getType(), new RecordChoice(values, 1));
    }
    return byType;
  }

  private static byte[] address(String text, int family) {
    return text == null ? null : Address.toByteArray(text, family);
  }

  private static Name parse(String text, Name origin) {
    try {
      return Names.lowerCase(Name.fromString(text, origin));
    } catch (TextParseException e) {
      throw new InvalidZoneException("not a valid DNS name: " + text + " (" + e.getMessage() + ")");
    }
  }

  private static Name parseOrNull(String text) {
    try {
      Name name = Name.fromString(text, Name.root);
      return name.isAbsolute() ? name : Name.concatenate(name, Name.root);
    } catch (TextParseException | NameTooLongException e) {
      return null;
    }
  }
}
