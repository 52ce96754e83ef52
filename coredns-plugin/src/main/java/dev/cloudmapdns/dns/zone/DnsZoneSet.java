package dev.cloudmapdns.dns.zone;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * Every zone this server is authoritative for, immutable. A new set is built for each change and
 * published by swapping a reference, so a query never waits for a write.
 */
public final class DnsZoneSet {
  private static final DnsZoneSet EMPTY = new DnsZoneSet(Map.of());

  private final Map<Name, DnsZone> zones;

  private DnsZoneSet(Map<Name, DnsZone> zones) {
    this.zones = Map.copyOf(zones);
  }

  public static DnsZoneSet empty() {
    return EMPTY;
  }

  /** A set holding exactly these zones, keyed by lower-case apex. */
  public static DnsZoneSet of(Map<Name, DnsZone> zonesByApex) {
    return new DnsZoneSet(zonesByApex);
  }

  /** The zone with the longest apex that contains {@code name}, if any. */
  public Optional<DnsZone> findZone(Name name) {
    Name lower = Names.lowerCase(name);
    int labels = lower.labels();
    for (int skip = 0; skip < labels; skip++) {
      Name suffix = skip == 0 ? lower : new Name(lower, skip);
      DnsZone zone = zones.get(suffix);
      if (zone != null) {
        return Optional.of(zone);
      }
    }
    return Optional.empty();
  }

  public Map<Name, DnsZone> zones() {
    return zones;
  }

  /** Zones ordered by apex, for listings. */
  public List<DnsZone> sortedZones() {
    return zones.values().stream().sorted(Comparator.comparing(DnsZone::apex)).toList();
  }
}
