package dev.cloudmapdns.server.metrics;

import dev.cloudmapdns.server.health.HealthMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * The health workers' own lock-free counters ({@link HealthMetrics}), exposed as meters read when
 * scraped: checks by result, late checks, transitions by new status, running checks and probes in
 * flight, and the largest lateness seen.
 */
public final class HealthMeters {
  private HealthMeters() {}

  public static void bind(HealthMetrics health, MeterRegistry meters) {
    counter(
        meters,
        health,
        "cloudmap.health.checks",
        "result",
        "passed",
        HealthMetrics.Snapshot::probesPassed);
    counter(
        meters,
        health,
        "cloudmap.health.checks",
        "result",
        "failed",
        HealthMetrics.Snapshot::probesFailed);
    FunctionCounter.builder("cloudmap.health.checks.late", health, h -> h.snapshot().probesLate())
        .description("Checks that started more than 100 ms after they were due")
        .register(meters);
    counter(
        meters,
        health,
        "cloudmap.health.transitions",
        "to",
        "healthy",
        HealthMetrics.Snapshot::transitionsToHealthy);
    counter(
        meters,
        health,
        "cloudmap.health.transitions",
        "to",
        "unhealthy",
        HealthMetrics.Snapshot::transitionsToUnhealthy);
    gauge(
        meters,
        health,
        "cloudmap.health.active.checks",
        "Instances with a running active check",
        HealthMetrics.Snapshot::activeChecks);
    gauge(
        meters,
        health,
        "cloudmap.health.probes.in.flight",
        "Probes started and not yet finished",
        HealthMetrics.Snapshot::probesInFlight);
    Gauge.builder(
            "cloudmap.health.max.lateness", health, h -> h.snapshot().maxLatenessMillis() / 1000.0)
        .description("The latest start of a due check so far")
        .baseUnit("seconds")
        .register(meters);
  }

  private interface Reading extends ToDoubleFunction<HealthMetrics.Snapshot> {}

  private static void counter(
      MeterRegistry meters,
      HealthMetrics health,
      String name,
      String tag,
      String value,
      Reading reading) {
    FunctionCounter.builder(name, health, h -> reading.applyAsDouble(h.snapshot()))
        .tag(tag, value)
        .register(meters);
  }

  private static void gauge(
      MeterRegistry meters,
      HealthMetrics health,
      String name,
      String description,
      Reading reading) {
    Gauge.builder(name, health, h -> reading.applyAsDouble(h.snapshot()))
        .description(description)
        .register(meters);
  }
}
