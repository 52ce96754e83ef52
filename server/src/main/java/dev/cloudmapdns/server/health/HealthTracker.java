package dev.cloudmapdns.server.health;

import dev.cloudmapdns.server.registry.HealthStatus;
import java.util.Objects;

/**
 * The health of one checked instance as a pure state machine. UNKNOWN until the first result, which
 * decides at once; after that, {@code threshold} consecutive results of the other kind flip the
 * status, and any result that agrees with the status resets the count.
 *
 * @param status the current status
 * @param threshold consecutive opposite results needed to flip (Cloud Map's FailureThreshold)
 * @param streak consecutive results so far that disagree with {@code status}
 */
public record HealthTracker(HealthStatus status, int threshold, int streak) {
  public HealthTracker {
    Objects.requireNonNull(status, "status");
    if (threshold < 1) {
      throw new IllegalArgumentException("threshold must be at least 1, got " + threshold);
    }
    if (streak < 0 || streak >= threshold) {
      throw new IllegalArgumentException("streak must be in [0, threshold), got " + streak);
    }
  }

  /** A tracker starting from {@code status}: UNKNOWN for a new instance, or what it had. */
  public static HealthTracker startingAt(HealthStatus status, int threshold) {
    return new HealthTracker(status, threshold, 0);
  }

  /** The tracker after one more check result. */
  public HealthTracker record(boolean healthy) {
    HealthStatus observed = healthy ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY;
    if (status == HealthStatus.UNKNOWN) {
      return new HealthTracker(observed, threshold, 0);
    }
    if (observed == status) {
      return streak == 0 ? this : new HealthTracker(status, threshold, 0);
    }
    if (streak + 1 >= threshold) {
      return new HealthTracker(observed, threshold, 0);
    }
    return new HealthTracker(status, threshold, streak + 1);
  }
}
