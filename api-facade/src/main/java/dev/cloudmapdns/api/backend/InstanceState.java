package dev.cloudmapdns.api.backend;

import dev.cloudmapdns.api.shapes.Instance;

/** An instance with its health: HEALTHY, UNHEALTHY or UNKNOWN. */
public record InstanceState(Instance instance, String healthStatus) {}
