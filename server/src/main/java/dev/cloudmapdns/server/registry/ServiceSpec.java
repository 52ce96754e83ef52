package dev.cloudmapdns.server.registry;

/** What a caller asks for when creating a service; null fields are absent. */
public record ServiceSpec(
    String name,
    String namespaceId,
    String description,
    DnsConfig dnsConfig,
    HealthCheckConfig healthCheckConfig,
    HealthCheckCustomConfig healthCheckCustomConfig,
    String creatorRequestId) {}
