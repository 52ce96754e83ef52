package dev.cloudmapdns.server.registry;

import java.util.Objects;

/** An instance together with its current health status. */
public record RegisteredInstance(Instance instance, HealthStatus health) {
  public RegisteredInstance {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(health, "health");
  }

  public RegisteredInstance withHealth(HealthStatus status) {
    return new RegisteredInstance(instance, status);
  }
}
