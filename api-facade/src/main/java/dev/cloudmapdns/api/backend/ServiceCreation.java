package dev.cloudmapdns.api.backend;

import dev.cloudmapdns.api.shapes.DnsConfig;
import dev.cloudmapdns.api.shapes.HealthCheckConfig;
import dev.cloudmapdns.api.shapes.HealthCheckCustomConfig;
import java.util.Map;

/**
 * A service to create. {@code namespaceId} is an id or an ARN, already merged with the deprecated
 * {@code DnsConfig.NamespaceId}; {@code type} is "HTTP" or null.
 */
public record ServiceCreation(
    String name,
    String namespaceId,
    String description,
    DnsConfig dnsConfig,
    HealthCheckConfig healthCheckConfig,
    HealthCheckCustomConfig healthCheckCustomConfig,
    String type,
    String creatorRequestId,
    Map<String, String> tags) {}
