package dev.cloudmapdns.api.shapes;

import java.util.Map;

/** One instance in a DiscoverInstances answer. */
public record HttpInstanceSummary(
    String instanceId,
    String namespaceName,
    String serviceName,
    String healthStatus,
    Map<String, String> attributes) {}
