package dev.cloudmapdns.dns.zone;

import java.util.Objects;

/** One entry of a service's DnsRecords: which type to answer and with what TTL. */
public record RecordTemplate(RecordKind kind, long ttl) {
  public RecordTemplate {
    Objects.requireNonNull(kind, "kind");
    if (ttl < 0 || ttl > 0x7FFFFFFFL) {
      throw new IllegalArgumentException("TTL out of range: " + ttl);
    }
  }
}
