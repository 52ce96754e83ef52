package dev.cloudmapdns.server.metrics;

import dev.cloudmapdns.server.health.HealthMetrics;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.watch.RegistryEvents;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.distribution.pause.NoPauseDetector;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The one meter registry of the application and the meters that read other components. */
@Factory
public final class MetricsFactory {

  @Singleton
  PrometheusMeterRegistry prometheusMeterRegistry() {
    PrometheusMeterRegistry registry = prometheus();
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }

  /**
   * The registry as the application configures it. Without a pause detector: Micrometer's default
   * one (for coordinated-omission correction of percentiles, which we do not publish) costs a clock
   * read and an estimator update per recorded time (store commits, API calls).
   */
  public static PrometheusMeterRegistry prometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().pauseDetector(new NoPauseDetector());
    return registry;
  }

  @Singleton
  DnsMeters dnsMeters(PrometheusMeterRegistry meters) {
    return new DnsMeters(meters);
  }

  @Singleton
  ApiMeters apiMeters(PrometheusMeterRegistry meters) {
    return new ApiMeters(meters);
  }

  /** Registered at start-up, so that /metrics shows them before anything happened. */
  @Context
  RegistryMeters registryMeters(
      Registry registry,
      RegistryEvents events,
      HealthMetrics health,
      PrometheusMeterRegistry meters) {
    HealthMeters.bind(health, meters);
    Gauge.builder("cloudmap.watch.subscribers", events, RegistryEvents::subscribers)
        .description("Open RegistryWatch streams")
        .register(meters);
    return new RegistryMeters(registry, meters);
  }
}
