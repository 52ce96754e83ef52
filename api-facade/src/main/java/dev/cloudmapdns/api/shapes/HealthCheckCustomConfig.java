package dev.cloudmapdns.api.shapes;

/** {@code HealthCheckCustomConfig}: health set through UpdateInstanceCustomHealthStatus. */
public record HealthCheckCustomConfig(Integer failureThreshold) {}
