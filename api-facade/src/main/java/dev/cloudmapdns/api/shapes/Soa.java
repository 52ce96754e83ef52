package dev.cloudmapdns.api.shapes;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code SOA} (and {@code SOAChange}): the TTL of the namespace's SOA record. */
public record Soa(@JsonProperty("TTL") Long ttl) {}
