package dev.cloudmapdns.server.app;

import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.StoreStatus;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.reactivestreams.Publisher;

/**
 * A shared store (etcd) in {@code /health}: reachable or not, the revision this replica has
 * applied, and how long ago it was last known to be up to date. An unreachable etcd leaves the
 * server UP: DNS keeps answering from the last state, and taking every replica out of service at
 * once because their common store is down would turn a write outage into a DNS outage. The details
 * say what is going on (writes are refused meanwhile). Absent for SQLite and memory.
 */
@Singleton
final class StoreHealthIndicator implements HealthIndicator {
  private final Registry registry;

  StoreHealthIndicator(Registry registry) {
    this.registry = registry;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    Optional<StoreStatus> found = registry.storeStatus();
    if (found.isEmpty()) {
      return Publishers.empty();
    }
    StoreStatus status = found.get();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put(
        "etcd",
        status.reachable()
            ? "reachable"
            : "unreachable; DNS answers from the last state, writes are refused");
    details.put("appliedRevision", status.position());
    details.put("upToDateAt", status.upToDateAt().toString());
    details.put(
        "upToDateAgeSeconds", Duration.between(status.upToDateAt(), Instant.now()).toSeconds());
    if (status.lastError() != null) {
      details.put("lastError", status.lastError());
    }
    return Publishers.just(HealthResult.builder("store", HealthStatus.UP).details(details).build());
  }
}
