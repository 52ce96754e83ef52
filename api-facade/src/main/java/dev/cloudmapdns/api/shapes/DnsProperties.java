package dev.cloudmapdns.api.shapes;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code DnsProperties}: the hosted zone id and the SOA record's TTL. */
public record DnsProperties(String hostedZoneId, @JsonProperty("SOA") Soa soa) {}
