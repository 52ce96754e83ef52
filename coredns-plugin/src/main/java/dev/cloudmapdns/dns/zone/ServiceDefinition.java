package dev.cloudmapdns.dns.zone;

import java.util.List;
import java.util.Objects;

/** A DNS-enabled Cloud Map service as DNS sees it: a name in its zone, record types, endpoints. */
public record ServiceDefinition(
    String name, Routing routing, List<RecordTemplate> records, List<Endpoint> endpoints) {
  public ServiceDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(routing, "routing");
    records = List.copyOf(records);
    endpoints = List.copyOf(endpoints);
  }
}
