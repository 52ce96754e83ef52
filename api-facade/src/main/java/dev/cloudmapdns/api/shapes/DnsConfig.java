package dev.cloudmapdns.api.shapes;

import java.util.List;

/** {@code DnsConfig}: the deprecated namespace id, the routing policy and the record types. */
public record DnsConfig(String namespaceId, String routingPolicy, List<DnsRecord> dnsRecords) {}
