package dev.cloudmapdns.server.health;

import java.util.function.Consumer;

/**
 * Sends one probe without blocking the caller, and calls back exactly once with its result, within
 * the prober's timeout.
 */
@FunctionalInterface
public interface Prober {
  void probe(CheckTarget target, Consumer<ProbeResult> done);
}
