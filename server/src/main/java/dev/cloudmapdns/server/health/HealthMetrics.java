package dev.cloudmapdns.server.health;

import dev.cloudmapdns.server.registry.HealthStatus;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the health workers, plain and lock-free; the application exposes them as Prometheus
 * meters at {@code /metrics} (package {@code metrics}), the benchmarks read them directly. Late
 * means a check started more than {@link #LATE_MILLIS} after it was due, which happens when the
 * probe limit makes checks wait in line.
 */
public final class HealthMetrics {
  public static final long LATE_MILLIS = 100;

  private final LongAdder probesPassed = new LongAdder();
  private final LongAdder probesFailed = new LongAdder();
  private final LongAdder probesLate = new LongAdder();
  private final LongAdder toHealthy = new LongAdder();
  private final LongAdder toUnhealthy = new LongAdder();
  private final AtomicLong maxLatenessNanos = new AtomicLong();
  private final AtomicLong activeChecks = new AtomicLong();
  private final AtomicLong probesInFlight = new AtomicLong();

  void probeStarted(long latenessNanos) {
    if (latenessNanos > LATE_MILLIS * 1_000_000) {
      probesLate.increment();
    }
    maxLatenessNanos.accumulateAndGet(latenessNanos, Math::max);
  }

  void probeFinished(boolean healthy) {
    (healthy ? probesPassed : probesFailed).increment();
  }

  void transition(HealthStatus to) {
    (to == HealthStatus.HEALTHY ? toHealthy : toUnhealthy).increment();
  }

  void activeChecks(long count) {
    activeChecks.set(count);
  }

  void probesInFlight(long count) {
    probesInFlight.set(count);
  }

  public Snapshot snapshot() {
    return new Snapshot(
        probesPassed.sum(),
        probesFailed.sum(),
        probesLate.sum(),
        maxLatenessNanos.get() / 1_000_000,
        toHealthy.sum(),
        toUnhealthy.sum(),
        activeChecks.get(),
        probesInFlight.get());
  }

  /** The counters at one moment. */
  public record Snapshot(
      long probesPassed,
      long probesFailed,
      long probesLate,
      long maxLatenessMillis,
      long transitionsToHealthy,
      long transitionsToUnhealthy,
      long activeChecks,
      long probesInFlight) {
    public long probes() {
      return probesPassed + probesFailed;
    }
  }
}
