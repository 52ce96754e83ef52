package dev.cloudmapdns.server.app;

import dev.cloudmapdns.dns.zone.DnsZoneCompiler;
import dev.cloudmapdns.dns.zone.ZoneAuthority;
import dev.cloudmapdns.server.dnsview.DnsProjection;
import dev.cloudmapdns.server.dnsview.ZoneDefinitions;
import dev.cloudmapdns.server.health.HealthMetrics;
import dev.cloudmapdns.server.metrics.TimedRegistryStore;
import dev.cloudmapdns.server.registry.MemoryRegistryStore;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryIdentity;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.RegistryStore;
import dev.cloudmapdns.server.registry.ServiceEntry;
import dev.cloudmapdns.server.seed.SeedLoader;
import dev.cloudmapdns.server.store.SqliteRegistryStore;
import dev.cloudmapdns.server.store.etcd.EtcdRegistryStore;
import dev.cloudmapdns.server.watch.RegistryEvents;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Builds the registry on its store and its DNS projection, and loads the seed file into an empty
 * registry before anything serves.
 */
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

  /**
   * The configured store, opened but not read: a bean of its own because the health workers need
   * the store itself (on etcd they join its members). The registry reads it and closes it.
   */
  @Singleton
  RegistryStore registryStore(StoreConfiguration storeConfig, EtcdConfiguration etcdConfig) {
    return store(storeConfig, etcdConfig);
  }

  /** The registry, loaded from its store; closing it at shutdown closes the store. */
  @Singleton
  @Bean(preDestroy = "close")
  Registry registry(
      CloudMapConfiguration config,
      StoreConfiguration storeConfig,
      RegistryStore opened,
      HealthConfiguration health,
      DnsProjection projection,
      PrometheusMeterRegistry meters) {
    long started = System.nanoTime();
    RegistryStore store = new TimedRegistryStore(opened, storeConfig.type(), meters);
    Registry registry;
    try {
      registry =
          new Registry(
              new RegistryIdentity(config.region(), config.accountId()),
              Clock.systemUTC(),
              health.initialCheckStatus(),
              store);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    RegistryState loaded = registry.state();
    LOG.info(
        "registry store {}: {} namespaces, {} services, {} instances, version {}, loaded in {} ms",
        store.describe(),
        loaded.namespaces().size(),
        loaded.services().size(),
        instanceCount(loaded),
        loaded.version(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    registry.addListener(projection);
    if (config.seed() != null) {
      seed(registry, Path.of(config.seed()));
    }
    return registry;
  }

  private static RegistryStore store(StoreConfiguration config, EtcdConfiguration etcd) {
    return switch (config.type()) {
      case "memory" -> new MemoryRegistryStore();
      case "sqlite" -> SqliteRegistryStore.open(Path.of(config.file()), synchronous(config));
      case "etcd" -> EtcdRegistryStore.connect(etcd.settings());
      default ->
          throw new ConfigurationException(
              "cloudmap.store.type: must be sqlite, etcd or memory, not " + config.type());
    };
  }

  private static SqliteRegistryStore.Synchronous synchronous(StoreConfiguration config) {
    try {
      return SqliteRegistryStore.Synchronous.valueOf(config.synchronous().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          "cloudmap.store.synchronous: must be full or normal, not " + config.synchronous());
    }
  }

  /**
   * A seed fills an empty registry; a store that already holds namespaces keeps what it has, since
   * the API may have changed it since the seed was first loaded. A refused seed leaves the store
   * empty, so the corrected file is loaded on the next start.
   */
  private static void seed(Registry registry, Path seed) {
    long started = System.nanoTime();
    OptionalInt instances = new SeedLoader(registry).loadIntoEmpty(seed);
    if (instances.isEmpty()) {
      LOG.info("seed {} not loaded: the store already holds a registry", seed);
      return;
    }
    LOG.info(
        "loaded seed {}: {} namespaces, {} services, {} instances in {} ms",
        seed,
        registry.state().namespaces().size(),
        registry.state().services().size(),
        instances.getAsInt(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private static int instanceCount(RegistryState state) {
    int count = 0;
    for (ServiceEntry entry : state.services().values()) {
      count += entry.instances().size();
    }
    return count;
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
