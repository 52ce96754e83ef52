package dev.cloudmapdns.server.registry;

import java.util.List;

/**
 * What deciding a command against a state came to: its answer and the state deltas that make it
 * (none for a no-op such as a retry). {@code durable} is false for changes that are published but
 * never stored (health found by active checks).
 */
record Decision<T>(T value, List<StateDelta> changes, boolean durable) {
  Decision {
    changes = List.copyOf(changes);
  }

  static <T> Decision<T> unchanged(T value) {
    return new Decision<>(value, List.of(), false);
  }

  static <T> Decision<T> stored(T value, StateDelta... changes) {
    return new Decision<>(value, List.of(changes), true);
  }
}
