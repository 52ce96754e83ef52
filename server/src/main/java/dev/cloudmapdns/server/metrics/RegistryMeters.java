package dev.cloudmapdns.server.metrics;

import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.ServiceEntry;
import dev.cloudmapdns.server.registry.StoreStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The registry's size, read from its published state when scraped: {@code
 * cloudmap_registry_namespaces}, {@code cloudmap_registry_services} and {@code
 * cloudmap_registry_instances{health=...}}; on a shared store (etcd) also {@code
 * cloudmap_store_reachable}, {@code cloudmap_store_applied_revision} and {@code
 * cloudmap_store_up_to_date_age_seconds}. Instances are counted once per state (a scrape of an
 * unchanged registry costs nothing).
 */
public final class RegistryMeters {
  private final Registry registry;
  private volatile Census census = new Census(-1, new EnumMap<>(HealthStatus.class));

  private record Census(long version, Map<HealthStatus, Integer> instances) {}

  public RegistryMeters(Registry registry, MeterRegistry meters) {
    this.registry = registry;
    Gauge.builder("cloudmap.registry.namespaces", registry, r -> r.state().namespaces().size())
        .description("Namespaces in the registry")
        .register(meters);
    Gauge.builder("cloudmap.registry.services", registry, r -> r.state().services().size())
        .description("Services in the registry")
        .register(meters);
    if (registry.storeStatus().isPresent()) {
      Gauge.builder(
              "cloudmap.store.reachable",
              registry,
              r -> r.storeStatus().map(s -> s.reachable() ? 1.0 : 0.0).orElse(1.0))
          .description("Whether the shared store (etcd) answered its last probe: 1 or 0")
          .register(meters);
      Gauge.builder(
              "cloudmap.store.applied.revision",
              registry,
              r -> r.storeStatus().map(StoreStatus::position).orElse(0L))
          .description("The etcd revision this replica has applied")
          .register(meters);
      Gauge.builder(
              "cloudmap.store.up.to.date.age",
              registry,
              r -> r.storeStatus().map(RegistryMeters::ageSeconds).orElse(0.0))
          .description(
              "Seconds since this replica was last known to hold everything etcd committed")
          .baseUnit("seconds")
          .register(meters);
    }
    for (HealthStatus status : HealthStatus.values()) {
      Gauge.builder("cloudmap.registry.instances", this, m -> m.instances(status))
          .description("Registered instances, by health status")
          .tag("health", status.name().toLowerCase(Locale.ROOT))
          .register(meters);
    }
  }

  private static double ageSeconds(StoreStatus status) {
    return Duration.between(status.upToDateAt(), Instant.now()).toMillis() / 1_000.0;
  }

  private int instances(HealthStatus status) {
    RegistryState state = registry.state();
    Census current = census;
    if (current.version() != state.version()) {
      Map<HealthStatus, Integer> counts = new EnumMap<>(HealthStatus.class);
      for (ServiceEntry entry : state.services().values()) {
        for (RegisteredInstance instance : entry.instances().values()) {
          counts.merge(instance.health(), 1, Integer::sum);
        }
      }
      current = new Census(state.version(), counts);
      census = current;
    }
    return current.instances().getOrDefault(status, 0);
  }
}
