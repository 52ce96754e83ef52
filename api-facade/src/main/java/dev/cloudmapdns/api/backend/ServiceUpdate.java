package dev.cloudmapdns.api.backend;

import dev.cloudmapdns.api.shapes.DnsRecord;
import dev.cloudmapdns.api.shapes.HealthCheckConfig;
import java.util.List;

/**
 * UpdateService's {@code ServiceChange}: a null description or record list keeps the current one; a
 * null {@code healthCheckConfig} removes the active health check, as AWS does.
 */
public record ServiceUpdate(
    String description, List<DnsRecord> dnsRecords, HealthCheckConfig healthCheckConfig) {}
