package dev.cloudmapdns.api.shapes;

/** {@code HealthCheckConfig}: an active HTTP, HTTPS or TCP check. */
public record HealthCheckConfig(String type, String resourcePath, Integer failureThreshold) {}
