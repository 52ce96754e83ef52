package dev.cloudmapdns.server.registry;

import java.util.Objects;

/** One record type of a service's DNS configuration, with its TTL in seconds. */
public record DnsRecord(RecordType type, long ttl) {
  public DnsRecord {
    Objects.requireNonNull(type, "type");
  }
}
