package dev.cloudmapdns.api.backend;

import java.util.List;

/**
 * A service's instances as one consistent snapshot, for discovery and listing. {@code
 * activeHealthCheck} says whether the service has a health configuration at all (DiscoverInstances
 * ignores its HealthStatus parameter otherwise); {@code revision} is its InstancesRevision.
 */
public record ServiceInstances(
    String namespaceName,
    String serviceName,
    String serviceArn,
    boolean hasHealthConfig,
    List<InstanceState> instances,
    long revision) {}
