package dev.cloudmapdns.dns.zone;

import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * What this server says about itself in every zone's SOA and NS records: the name server and the
 * responsible mailbox. Nobody resolves them (CoreDNS reaches us over gRPC), but stub resolvers and
 * caches read the SOA, so it must be well formed.
 */
public record ZoneAuthority(Name nameServer, Name hostmaster) {
  public ZoneAuthority {
    Objects.requireNonNull(nameServer, "nameServer");
    Objects.requireNonNull(hostmaster, "hostmaster");
  }

  /** {@code ns.cloudmap-dns.} and {@code hostmaster.cloudmap-dns.}. */
  public static ZoneAuthority defaults() {
    return new ZoneAuthority(
        Name.fromConstantString("ns.cloudmap-dns."),
        Name.fromConstantString("hostmaster.cloudmap-dns."));
  }
}
