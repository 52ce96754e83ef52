package dev.cloudmapdns.dns.zone;

import java.util.Map;
import java.util.Set;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;

/**
 * One compiled, immutable zone: its apex records, the names that carry records, and the empty
 * non-terminals between them and the apex (names that exist without records, such as {@code
 * _tcp.app.local} under {@code _http._tcp.app.local}). Names are stored in lower case.
 */
public record DnsZone(
    Name apex, SOARecord soa, NSRecord ns, Map<Name, DnsNode> nodes, Set<Name> emptyNonTerminals) {
  public DnsZone {
    // A zone assembled from its ZoneContent keeps the content's persistent views: copying them
    // would make every change cost the size of the zone.
    nodes = nodes instanceof ZoneContent.View ? nodes : Map.copyOf(nodes);
    emptyNonTerminals =
        emptyNonTerminals instanceof ZoneContent.View
            ? emptyNonTerminals
            : Set.copyOf(emptyNonTerminals);
  }

  /** The negative-caching TTL of RFC 2308: the smaller of the SOA's TTL and its MINIMUM field. */
  public long negativeTtl() {
    return Math.min(soa.getTTL(), soa.getMinimum());
  }
}
