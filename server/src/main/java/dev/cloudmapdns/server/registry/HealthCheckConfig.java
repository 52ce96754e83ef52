package dev.cloudmapdns.server.registry;

import java.util.Objects;

/**
 * An active health check: probe each instance, and after {@code failureThreshold} consecutive
 * results of the other kind, flip its status. {@code resourcePath} is null for TCP.
 */
public record HealthCheckConfig(HealthCheckType type, String resourcePath, int failureThreshold) {
  public static final int DEFAULT_FAILURE_THRESHOLD = 1;

  public HealthCheckConfig {
    Objects.requireNonNull(type, "type");
  }
}
