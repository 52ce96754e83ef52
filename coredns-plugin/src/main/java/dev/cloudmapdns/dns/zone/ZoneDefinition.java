package dev.cloudmapdns.dns.zone;

import java.util.List;
import java.util.Objects;

/**
 * A DNS namespace as DNS sees it: the zone apex, the SOA TTL (also the negative-caching TTL), a
 * serial that grows with every change, and the services in it.
 */
public record ZoneDefinition(
    String name, long soaTtl, long serial, List<ServiceDefinition> services) {
  public ZoneDefinition {
    Objects.requireNonNull(name, "name");
    services = List.copyOf(services);
  }
}
