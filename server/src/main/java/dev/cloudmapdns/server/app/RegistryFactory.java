package dev.cloudmapdns.server.app;

import dev.cloudmapdns.dns.zone.DnsZoneCompiler;
import dev.cloudmapdns.dns.zone.ZoneAuthority;
import dev.cloudmapdns.server.dnsview.DnsProjection;
import dev.cloudmapdns.server.dnsview.ZoneDefinitions;
import dev.cloudmapdns.server.health.HealthMetrics;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryIdentity;
import dev.cloudmapdns.server.seed.SeedLoader;
import dev.cloudmapdns.server.watch.RegistryEvents;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Builds the registry and its DNS projection, and loads the seed file before anything serves. */
@Factory
final class RegistryFactory {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryFactory.class);

  /** Changes a watcher may fall behind before it is dropped. */
  private static final int WATCH_QUEUE_LIMIT = 10_000;

  @Singleton
  DnsProjection dnsProjection(DnsConfiguration dns) {
    ZoneAuthority authority =
        new ZoneAuthority(
            absolute("cloudmap.dns.nameserver", dns.nameserver()),
            absolute("cloudmap.dns.hostmaster", dns.hostmaster()));
    return new DnsProjection(new DnsZoneCompiler(authority), new ZoneDefinitions(dns.failOpen()));
  }

  @Singleton
  Registry registry(
      CloudMapConfiguration config, HealthConfiguration health, DnsProjection projection) {
    Registry registry =
        new Registry(
            new RegistryIdentity(config.region(), config.accountId()),
            Clock.systemUTC(),
            health.initialCheckStatus());
    registry.addListener(projection);
    if (config.seed() != null) {
      int instances = new SeedLoader(registry).load(Path.of(config.seed()));
      LOG.info(
          "loaded seed {}: {} namespaces, {} services, {} instances",
          config.seed(),
          registry.state().namespaces().size(),
          registry.state().services().size(),
          instances);
    }
    return registry;
  }

  /**
   * Registry changes for watchers. Deliveries run on Micronaut's IO executor: short drains, one at
   * a time per watcher, so each watcher sees changes in order.
   */
  @Singleton
  RegistryEvents registryEvents(Registry registry, @Named(TaskExecutors.IO) Executor delivery) {
    RegistryEvents events = new RegistryEvents(delivery, WATCH_QUEUE_LIMIT, Clock.systemUTC());
    registry.addListener(events);
    return events;
  }

  /** Counters of the health workers; a bean so that an exporter can read them. */
  @Singleton
  HealthMetrics healthMetrics() {
    return new HealthMetrics();
  }

  private static Name absolute(String property, String value) {
    try {
      return Name.fromString(value, Name.root);
    } catch (TextParseException e) {
      throw new ConfigurationException(property + ": not a valid domain name: " + value);
    }
  }
}
