package dev.cloudmapdns.server.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * {@code GET /metrics} on the HTTP port: every meter in the Prometheus text format. Off the event
 * loop: counting a large registry's instances by health takes a moment once per change.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
final class MetricsController {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry meters;

  MetricsController(PrometheusMeterRegistry meters) {
    this.meters = meters;
  }

  @Get(uri = "/metrics", produces = PROMETHEUS_TEXT)
  String scrape() {
    return meters.scrape();
  }
}
