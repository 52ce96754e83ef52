package dev.cloudmapdns.server.metrics;

import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.ServiceEntry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The registry's size, read from its published state when scraped: {@code
 * cloudmap_registry_namespaces}, {@code cloudmap_registry_services} and {@code
 * cloudmap_registry_instances{health=...}}. Instances are counted once per state (a scrape of an
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
    for (HealthStatus status : HealthStatus.values()) {
      Gauge.builder("cloudmap.registry.instances", this, m -> m.instances(status))
          .description("Registered instances, by health status")
          .tag("health", status.name().toLowerCase(Locale.ROOT))
          .register(meters);
    }
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
