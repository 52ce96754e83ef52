package dev.cloudmapdns.server.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * The commands of one submission as they are decided, in order: the state they have made so far
 * (each command is decided against the one before it) and the deltas the store must keep. Belongs
 * to the thread deciding under the registry's monitor; thrown away if the submission is abandoned.
 */
final class Draft {
  private final RegistryState base;
  private RegistryState state;
  private final List<StateDelta> durable = new ArrayList<>();
  private final List<StateDelta> unstored = new ArrayList<>();
  private boolean changed;

  Draft(RegistryState base) {
    this.base = base;
    this.state = base;
  }

  /** The state with every decision accepted so far. */
  RegistryState state() {
    return state;
  }

  /** Applies a decision's deltas and returns its answer. */
  <T> T accept(Decision<T> decision) {
    if (!decision.changes().isEmpty()) {
      state = state.apply(decision.changes());
      changed = true;
      (decision.durable() ? durable : unstored).addAll(decision.changes());
    }
    return decision.value();
  }

  /**
   * Takes over what {@code decided} decided, as if its commands had been decided on this draft;
   * only meaningful when both started from the same state.
   */
  void adopt(Draft decided) {
    state = decided.state;
    durable.addAll(decided.durable);
    unstored.addAll(decided.unstored);
    changed |= decided.changed;
  }

  /** The state this draft started from. */
  RegistryState base() {
    return base;
  }

  boolean changed() {
    return changed;
  }

  /** The deltas published but never stored (health found by active checks), in order. */
  List<StateDelta> unstoredChanges() {
    return unstored;
  }

  /** The deltas to store, in order; health found by active checks is not among them. */
  List<StateDelta> durableChanges() {
    return durable;
  }
}
