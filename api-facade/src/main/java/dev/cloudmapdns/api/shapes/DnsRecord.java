package dev.cloudmapdns.api.shapes;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code DnsRecord}: a record type and its TTL. */
public record DnsRecord(String type, @JsonProperty("TTL") Long ttl) {}
