package dev.cloudmapdns.server.registry;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** A service's DNS configuration: routing policy and record types. */
public record DnsConfig(RoutingPolicy routingPolicy, List<DnsRecord> records) {
  public DnsConfig {
    Objects.requireNonNull(routingPolicy, "routingPolicy");
    records = List.copyOf(records);
  }

  public Set<RecordType> types() {
    Set<RecordType> types = EnumSet.noneOf(RecordType.class);
    records.forEach(r -> types.add(r.type()));
    return types;
  }

  public boolean has(RecordType type) {
    return records.stream().anyMatch(r -> r.type() == type);
  }

  public Optional<DnsRecord> record(RecordType type) {
    return records.stream().filter(r -> r.type() == type).findFirst();
  }
}
