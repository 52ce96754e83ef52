package dev.cloudmapdns.server.registry;

/**
 * Told of every new registry state, in order, before the write that made it returns. Listeners must
 * be quick and must not call back into the registry.
 */
@FunctionalInterface
public interface RegistryListener {
  void onChange(RegistryState state);
}
