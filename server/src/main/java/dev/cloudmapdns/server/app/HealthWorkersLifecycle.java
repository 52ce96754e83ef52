package dev.cloudmapdns.server.app;

import dev.cloudmapdns.server.health.HealthCheckRunner;
import dev.cloudmapdns.server.health.HealthMetrics;
import dev.cloudmapdns.server.registry.Registry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;

/** Runs the health workers ({@link HealthCheckRunner}) for the life of the application. */
@Context
@Requires(property = "cloudmap.health.enabled", notEquals = "false")
final class HealthWorkersLifecycle implements AutoCloseable {
  private final HealthCheckRunner runner;

  HealthWorkersLifecycle(Registry registry, HealthConfiguration config, HealthMetrics metrics) {
    runner = new HealthCheckRunner(registry, config.settings(), metrics);
  }

  @Override
  @PreDestroy
  public void close() {
    runner.close();
  }
}
