package dev.cloudmapdns.server.registry;

import java.util.List;

/**
 * Where the registry keeps what it must not forget. The registry holds the working state in memory
 * and serves every read from it; a store only sees the changes, in order, and hands everything back
 * at start-up. The registry calls it from one thread at a time.
 *
 * <p>The committed change sets, in version order, are the registry's change feed: the registry
 * publishes a snapshot (to DNS, the API and watchers) only once the store has committed the changes
 * in it. Both stores here have one writer, so the feed is what the registry commits; a store shared
 * by several servers would also have to hand each server the change sets the others committed,
 * which this interface does not need yet.
 *
 * <p>Health statuses found by active checks are never given to the store: after a restart they are
 * found again. Custom health statuses (UpdateInstanceCustomHealthStatus) are.
 */
public interface RegistryStore extends AutoCloseable {

  /**
   * Everything stored, as the state of the version last committed; the health of instances of
   * services with active checks is whatever was stored and is re-derived by the registry.
   *
   * @throws RegistryStoreException when the stored data cannot be read
   */
  RegistryState load();

  /**
   * Makes {@code batch} durable: when this returns, every change set in it survives a crash of the
   * process. All change sets of the batch are committed together, in order; on failure none is.
   *
   * @throws RegistryStoreException when they could not be stored; nothing of the batch was
   */
  void commit(List<DeltaSet> batch);

  /** What a log line says about this store, e.g. its file. */
  String describe();

  @Override
  void close();
}
