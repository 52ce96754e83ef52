package dev.cloudmapdns.server.app;

import dev.cloudmapdns.server.dnsview.DnsProjection;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * {@code /health} is DOWN while the DNS zones of the stored registry are still being built at
 * start-up, so that UP means DNS answers from the whole registry.
 */
@Singleton
final class DnsZonesHealthIndicator implements HealthIndicator {
  private final DnsProjection projection;

  DnsZonesHealthIndicator(DnsProjection projection) {
    this.projection = projection;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    boolean ready = projection.ready();
    return Publishers.just(
        HealthResult.builder("dnsZones", ready ? HealthStatus.UP : HealthStatus.DOWN)
            .details(ready ? "built" : "building the DNS zones of the stored registry")
            .build());
  }
}
