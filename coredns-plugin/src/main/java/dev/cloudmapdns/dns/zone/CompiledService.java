package dev.cloudmapdns.dns.zone;

import java.util.Map;
import org.xbill.DNS.Name;

/**
 * One service compiled for its zone: the node at {@code <service>.<namespace>} and the host names
 * of its instances (SRV targets). Immutable, so a zone can reuse it until the service changes.
 */
public record CompiledService(Name name, DnsNode node, Map<Name, DnsNode> hosts) {
  public CompiledService {
    hosts = Map.copyOf(hosts);
  }
}
