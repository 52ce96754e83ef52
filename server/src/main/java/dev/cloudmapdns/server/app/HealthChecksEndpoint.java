package dev.cloudmapdns.server.app;

import dev.cloudmapdns.server.health.HealthMetrics;
import io.micronaut.management.endpoint.annotation.Endpoint;
import io.micronaut.management.endpoint.annotation.Read;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /healthchecks} on the HTTP port: the health workers' counters as JSON, until a metrics
 * library (and {@code /metrics}) is on the classpath.
 */
@Endpoint(id = "healthchecks", defaultSensitive = false)
final class HealthChecksEndpoint {
  private final HealthMetrics metrics;

  HealthChecksEndpoint(HealthMetrics metrics) {
    this.metrics = metrics;
  }

  @Read
  Map<String, Long> counters() {
    HealthMetrics.Snapshot snapshot = metrics.snapshot();
    Map<String, Long> counters = new LinkedHashMap<>();
    counters.put("activeChecks", snapshot.activeChecks());
    counters.put("probesInFlight", snapshot.probesInFlight());
    counters.put("probesPassed", snapshot.probesPassed());
    counters.put("probesFailed", snapshot.probesFailed());
    counters.put("probesLate", snapshot.probesLate());
    counters.put("maxLatenessMillis", snapshot.maxLatenessMillis());
    counters.put("transitionsToHealthy", snapshot.transitionsToHealthy());
    counters.put("transitionsToUnhealthy", snapshot.transitionsToUnhealthy());
    return counters;
  }
}
