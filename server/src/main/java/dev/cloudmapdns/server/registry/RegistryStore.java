package dev.cloudmapdns.server.registry;

import java.util.List;
import java.util.Optional;

/**
 * Where the registry keeps what it must not forget. The registry holds the working state in memory
 * and serves every read from it; a store only sees the changes, in order, and hands everything back
 * at start-up. The registry calls it from one thread at a time.
 *
 * <p>The committed change sets, in version order, are the registry's change feed: the registry
 * publishes a snapshot (to DNS, the API and watchers) only once the store has committed the changes
 * in it. A store with one writer (SQLite, memory) has nothing more to say; a store shared by
 * several servers (etcd) also hands each server what the others committed, through {@link #follow},
 * and refuses a batch decided against a state another writer has since changed ({@link
 * RegistryStoreConflict}): the registry then applies what it missed and decides the batch again.
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

  /**
   * How many of {@code queued}, from the first, one {@link #commit} can take: the registry groups
   * no more into one batch. Always at least one (a change set too large for the store is refused by
   * {@link #commit}, saying why). Every change set, unlimited by default.
   */
  default int fitting(List<DeltaSet> queued) {
    return queued.size();
  }

  /**
   * Starts handing {@code feed} what other writers commit after the state {@link #load} returned,
   * in commit order, from a thread of the store's own. A store with one writer never calls it.
   */
  default void follow(StoreFeed feed) {}

  /**
   * The registry has applied everything the feed handed it up to {@code position}: the batches it
   * commits from now on were decided against that state. Called under the registry's commit lock,
   * so never at the same time as {@link #commit}.
   */
  default void appliedThrough(long position) {}

  /**
   * Whether several servers share this store: then health found by active checks is stored too (so
   * every server answers the same, whichever one ran the check) and kept at start-up.
   */
  default boolean shared() {
    return false;
  }

  /** How a shared store's replica is doing; empty for a store with one writer. */
  default Optional<StoreStatus> status() {
    return Optional.empty();
  }

  /** What a log line says about this store, e.g. its file. */
  String describe();

  @Override
  void close();
}
