package dev.cloudmapdns.server.metrics;

import dev.cloudmapdns.server.registry.DeltaSet;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.RegistryStore;
import dev.cloudmapdns.server.registry.StoreFeed;
import dev.cloudmapdns.server.registry.StoreStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A store that times each commit ({@code cloudmap_store_commit_seconds}, a histogram): one batch of
 * change sets, one transaction and sync for SQLite.
 */
public final class TimedRegistryStore implements RegistryStore {
  private final RegistryStore store;
  private final Timer commits;

  /**
   * @param kind the store's name in the {@code store} tag: sqlite, etcd or memory
   */
  public TimedRegistryStore(RegistryStore store, String kind, MeterRegistry meters) {
    this.store = store;
    this.commits =
        Timer.builder("cloudmap.store.commit")
            .description("Time to commit one batch of registry changes to the store")
            .tag("store", kind)
            .serviceLevelObjectives(
                Duration.ofNanos(100_000),
                Duration.ofMillis(1),
                Duration.ofMillis(5),
                Duration.ofMillis(10),
                Duration.ofMillis(25),
                Duration.ofMillis(50),
                Duration.ofMillis(100),
                Duration.ofMillis(250),
                Duration.ofSeconds(1))
            .register(meters);
  }

  @Override
  public RegistryState load() {
    return store.load();
  }

  @Override
  public void commit(List<DeltaSet> batch) {
    long started = System.nanoTime();
    try {
      store.commit(batch);
    } finally {
      commits.record(Duration.ofNanos(System.nanoTime() - started));
    }
  }

  @Override
  public int fitting(List<DeltaSet> queued) {
    return store.fitting(queued);
  }

  @Override
  public void follow(StoreFeed feed) {
    store.follow(feed);
  }

  @Override
  public void appliedThrough(long position) {
    store.appliedThrough(position);
  }

  @Override
  public boolean shared() {
    return store.shared();
  }

  @Override
  public Optional<StoreStatus> status() {
    return store.status();
  }

  @Override
  public String describe() {
    return store.describe();
  }

  @Override
  public void close() {
    store.close();
  }
}
