package dev.cloudmapdns.server.registry;

/**
 * Told of each new published registry state, in order, before the writes in it return. Commands
 * committed together in one batch are published as one state (the batch's last), so a listener may
 * see versions jump; comparing a state with the one before shows every change. Listeners must be
 * quick and must not call back into the registry.
 */
@FunctionalInterface
public interface RegistryListener {
  void onChange(RegistryState state);
}
