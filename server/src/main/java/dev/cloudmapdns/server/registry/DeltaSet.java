package dev.cloudmapdns.server.registry;

import java.util.List;

/**
 * The changes of one registry command, which made state {@code version}. A store keeps all of them
 * or none.
 */
public record DeltaSet(long version, List<StateDelta> changes) {
  public DeltaSet {
    changes = List.copyOf(changes);
  }
}
