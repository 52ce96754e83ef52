package dev.cloudmapdns.server.health;

import dev.cloudmapdns.server.registry.HealthStatus;
import java.time.Instant;

/**
 * A change of an instance's health that a check caused and the registry applied.
 *
 * @param reason the result of the probe that decided it, e.g. {@code http 503} or {@code timeout}
 */
public record HealthTransition(
    String serviceId,
    String instanceId,
    CheckTarget target,
    HealthStatus from,
    HealthStatus to,
    String reason,
    Instant at) {

  /** One structured log line: key=value pairs, values with spaces quoted. */
  public String logLine() {
    return "health transition service="
        + serviceId
        + " instance="
        + instanceId
        + " target=\""
        + target
        + "\" from="
        + from
        + " to="
        + to
        + " reason=\""
        + reason
        + "\"";
  }
}
