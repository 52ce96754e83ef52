package dev.cloudmapdns.server.registry;

import java.util.List;

/**
 * UpdateService's change: a null description or record list keeps the current one (the routing
 * policy always stays); the health check is replaced, and removed when null, as in Cloud Map.
 */
public record ServicePatch(
    String description, List<DnsRecord> records, HealthCheckConfig healthCheckConfig) {}
