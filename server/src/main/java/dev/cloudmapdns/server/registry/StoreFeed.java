package dev.cloudmapdns.server.registry;

import java.util.List;

/**
 * What a shared store hands the registry about other writers ({@link RegistryStore#follow}): each
 * transaction another server committed, as the deltas it stands for, or, when the store lost track
 * of them, everything it holds. A {@code position} grows with every transaction (etcd's revision);
 * the registry tells the store what it has applied with {@link RegistryStore#appliedThrough}.
 */
public interface StoreFeed {

  /** Another writer committed {@code changes}, in order, as the store's {@code position}. */
  void followed(long position, List<StateDelta> changes);

  /**
   * The store lost its place (e.g. etcd compacted the revisions it had not read yet) and read
   * everything again: {@code state} is the whole registry at {@code position}, published as one.
   */
  void reloaded(long position, RegistryState state);
}
