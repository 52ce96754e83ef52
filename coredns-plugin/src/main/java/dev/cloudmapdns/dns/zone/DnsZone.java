package dev.cloudmapdns.dns.zone;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;

/**
 * One compiled, immutable zone: its apex records, the names that carry records, and the empty
 * non-terminals between them and the apex (names that exist without records, such as {@code
 * _tcp.app.local} under {@code _http._tcp.app.local}). Names are stored in lower case.
 *
 * @param negativeSoa the SOA that negative answers carry (RFC 2308: its TTL is the negative-caching
 *     TTL), made once per zone rather than once per NXDOMAIN or NODATA answer
 */
public record DnsZone(
    Name apex,
    SOARecord soa,
    NSRecord ns,
    Map<Name, DnsNode> nodes,
    Set<Name> emptyNonTerminals,
    SOARecord negativeSoa) {
  public DnsZone {
    Objects.requireNonNull(soa, "soa");
    // A zone assembled from its ZoneContent keeps the content's persistent views: copying them
    // would make every change cost the size of the zone.
    nodes = nodes instanceof ZoneContent.View ? nodes : Map.copyOf(nodes);
    emptyNonTerminals =
        emptyNonTerminals instanceof ZoneContent.View
            ? emptyNonTerminals
            : Set.copyOf(emptyNonTerminals);
  }

  /** A zone whose negative answers carry {@code soa} with the negative-caching TTL. */
  public DnsZone(
      Name apex,
      SOARecord soa,
      NSRecord ns,
      Map<Name, DnsNode> nodes,
      Set<Name> emptyNonTerminals) {
    this(apex, soa, ns, nodes, emptyNonTerminals, negativeSoaOf(soa));
  }

  /** The negative-caching TTL of RFC 2308: the smaller of the SOA's TTL and its MINIMUM field. */
  public long negativeTtl() {
    return negativeSoa.getTTL();
  }

  private static SOARecord negativeSoaOf(SOARecord soa) {
    return new SOARecord(
        soa.getName(),
        DClass.IN,
        Math.min(soa.getTTL(), soa.getMinimum()),
        soa.getHost(),
        soa.getAdmin(),
        soa.getSerial(),
        soa.getRefresh(),
        soa.getRetry(),
        soa.getExpire(),
        soa.getMinimum());
  }
}
