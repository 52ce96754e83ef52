package dev.cloudmapdns.server.registry;

/** Custom health: the status comes from UpdateInstanceCustomHealthStatus calls. */
public record HealthCheckCustomConfig(int failureThreshold) {}
