package dev.cloudmapdns.server.health;

import java.time.Duration;
import java.util.Objects;

/**
 * How the health workers run.
 *
 * @param interval time between two checks of one instance
 * @param timeout how long one probe may take, connection included
 * @param jitter each next check is moved by a random amount in [-jitter, +jitter], so checks of
 *     instances registered together drift apart instead of firing together
 * @param maxConcurrentProbes probes in flight at once; further due checks wait in line
 */
public record HealthSettings(
    Duration interval, Duration timeout, Duration jitter, int maxConcurrentProbes) {
  public HealthSettings {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(jitter, "jitter");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    if (jitter.isNegative() || jitter.multipliedBy(2).compareTo(interval) >= 0) {
      throw new IllegalArgumentException(
          "jitter must be at least 0 and less than half the interval, got " + jitter);
    }
    if (maxConcurrentProbes < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentProbes must be at least 1, got " + maxConcurrentProbes);
    }
  }
}
