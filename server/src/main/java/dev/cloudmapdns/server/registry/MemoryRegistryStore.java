package dev.cloudmapdns.server.registry;

import java.util.List;

/**
 * No store at all: the registry's own state in memory is all there is, and a restart forgets it.
 * For tests and throwaway runs ({@code --store=memory}).
 */
public final class MemoryRegistryStore implements RegistryStore {

  @Override
  public RegistryState load() {
    return RegistryState.empty();
  }

  @Override
  public void commit(List<DeltaSet> batch) {
    // The registry's state is the only copy.
  }

  @Override
  public String describe() {
    return "in memory (nothing survives a restart)";
  }

  @Override
  public void close() {}
}
