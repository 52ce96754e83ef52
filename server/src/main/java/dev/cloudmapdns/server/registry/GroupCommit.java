package dev.cloudmapdns.server.registry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's commit pipeline. Submissions are decided one at a time, under this object's
 * monitor, against the <em>working</em> state (the published one plus what is still on its way to
 * the store); each submission that changes anything becomes one {@link DeltaSet} and one new
 * version. Whichever waiting submission finds the commit lock free takes every queued change set,
 * commits them to the store in one batch (a group commit) and publishes the batch's last state
 * once. Readers only ever see published, hence durable, states. If the store fails in any way (any
 * Throwable, Errors included), the batch and every submission decided on top of it are refused with
 * a {@link RegistryStoreException}, the working state goes back to the published one, and every
 * waiting submission is released.
 *
 * <p>Health found by active checks is never stored, so it does not wait for the store: a submission
 * of such statuses only, about registrations that are already published, is published at once, even
 * while a batch is being synced (an <em>unstored overlay</em>). Every later publication is the last
 * committed state with the overlays decided after it laid on top, so a status is never lost or
 * undone by a batch decided before it, and each publication has a higher version than the one
 * before.
 *
 * <p>Locks, always taken in this order: the commit lock (one store commit at a time), the publish
 * lock (one publication and round of listeners at a time), the monitor (deciding, queues, states).
 */
final class GroupCommit {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

  private final RegistryStore store;
  private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();

  private final ReentrantLock commitLock = new ReentrantLock();
  private final ReentrantLock publishLock = new ReentrantLock();

  /** The last published state: durable (but for unstored health), and what every reader sees. */
  private volatile RegistryState published; // written under the publish lock and the monitor

  /** The last state committed to the store (or loaded), without the overlays. */
  private RegistryState committed; // guarded by this

  /** Unstored health decided after {@link #committed}, in decision order. */
  private final ArrayDeque<Overlay> overlays = new ArrayDeque<>(); // guarded by this

  /** The version of the newest overlay the published state carries; 0 for none. */
  private long overlaidThrough; // guarded by this

  /** The state submissions are decided against: the published one plus the queued changes. */
  private RegistryState working; // guarded by this

  /** Decided submissions not yet taken by a committer, oldest first. */
  private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // guarded by this

  /**
   * The submission decided last and given to the store, committed or not; null before the first.
   */
  private Pending lastDecided; // guarded by this

  GroupCommit(RegistryStore store, RegistryState loaded) {
    this.store = Objects.requireNonNull(store, "store");
    this.published = loaded;
    synchronized (this) {
      this.committed = loaded;
      this.working = loaded;
    }
  }

  RegistryState published() {
    return published;
  }

  /** The state the next submission is decided against: published plus queued changes. */
  synchronized RegistryState working() {
    return working;
  }

  void addListener(RegistryListener listener) {
    publishLock.lock();
    try {
      listeners.add(listener);
      listener.onChange(published);
    } finally {
      publishLock.unlock();
    }
  }

  void close() {
    commitLock.lock();
    try {
      store.close();
    } finally {
      commitLock.unlock();
    }
  }

  /**
   * Runs {@code decide} under the monitor against a draft of the working state and, when it changed
   * anything, queues its deltas as one change set and waits until they are committed and published.
   * A submission that changes nothing (a retry, a status the instance already has) still waits for
   * the submissions decided before it, so that its answer never rests on something not yet durable.
   * When {@code decide} throws, nothing of it is kept.
   */
  <R> R submit(Function<Draft, R> decide) {
    R answer;
    Pending pending = null;
    boolean overlay = false;
    synchronized (this) {
      Draft draft = new Draft(working);
      answer = decide.apply(draft);
      if (draft.changed()) {
        RegistryState next = draft.state().withVersion(working.version() + 1);
        working = next;
        if (draft.durableChanges().isEmpty() && aboutPublishedRegistrations(draft)) {
          overlays.addLast(new Overlay(next.version(), draft.unstoredChanges()));
          overlay = true;
        } else {
          pending = new Pending(next, new DeltaSet(next.version(), draft.durableChanges()));
          queue.addLast(pending);
          lastDecided = pending;
        }
      } else {
        pending = lastDecided;
      }
    }
    if (overlay) {
      publishOverlays();
    } else if (pending != null) {
      commitThrough(pending);
    }
    return answer;
  }

  /**
   * Whether every unstored change of {@code draft} is a health status of a registration that the
   * published state already holds, as the very same {@link Instance}: then publishing it now, ahead
   * of the queued batches, shows nothing that is not durable.
   */
  private boolean aboutPublishedRegistrations(Draft draft) {
    RegistryState now = published;
    for (StateDelta change : draft.unstoredChanges()) {
      if (!(change instanceof StateDelta.HealthSet health)) {
        return false;
      }
      Instance inPublished = instanceIn(now, health);
      if (inPublished == null || inPublished != instanceIn(draft.state(), health)) {
        return false;
      }
    }
    return true;
  }

  private static Instance instanceIn(RegistryState state, StateDelta.HealthSet health) {
    ServiceEntry entry = state.services().get(health.serviceId());
    RegisteredInstance registered =
        entry == null ? null : entry.instances().get(health.instanceId());
    return registered == null ? null : registered.instance();
  }

  /** Publishes the committed state with every overlay on top, unless that is already published. */
  private void publishOverlays() {
    publishLock.lock();
    try {
      RegistryState next;
      synchronized (this) {
        if (overlays.isEmpty() || overlays.peekLast().version() <= overlaidThrough) {
          return; // a publication since has laid this overlay already
        }
        next = publishComposed();
        if (lastDecided == null || lastDecided.done) {
          foldOverlays(next); // no batch decided before them is still on its way
        }
      }
      tellListeners(next);
    } finally {
      publishLock.unlock();
    }
  }

  /**
   * Publishes the committed state with the overlays decided after it laid on top, as a version
   * higher than every one published before; working versions stay above it.
   */
  private RegistryState publishComposed() { // under the publish lock and the monitor
    RegistryState state = committed;
    long version = committed.version();
    for (Overlay overlay : overlays) {
      for (StateDelta change : overlay.changes()) {
        if (instanceIn(state, (StateDelta.HealthSet) change) != null) {
          state = state.apply(List.of(change));
        }
      }
      version = Math.max(version, overlay.version());
      overlaidThrough = Math.max(overlaidThrough, overlay.version());
    }
    version = Math.max(version, published.version() + 1);
    RegistryState next = state.version() == version ? state : state.withVersion(version);
    if (working.version() < version) {
      working = working.withVersion(version);
    }
    published = next;
    return next;
  }

  /**
   * Once no batch decided before the overlays is still on its way, the published state is the
   * committed one: the overlays are in it for good, and later publications need not lay them again
   * (else every health change would cost more than the one before).
   */
  private void foldOverlays(RegistryState published) { // under the publish lock and the monitor
    committed = published;
    overlays.clear();
  }

  /** Returns once {@code pending} is published; commits everything queued if no one else does. */
  private void commitThrough(Pending pending) {
    commitLock.lock();
    try {
      if (!pending.done) {
        List<Pending> batch;
        synchronized (this) {
          batch = new ArrayList<>(queue);
          queue.clear();
        }
        commit(batch);
      }
      if (pending.failure != null) {
        throw pending.failure;
      }
    } finally {
      commitLock.unlock();
    }
  }

  /** Commits one batch and publishes its last state. Runs under the commit lock. */
  private void commit(List<Pending> batch) {
    List<DeltaSet> stored = new ArrayList<>(batch.size());
    for (Pending pending : batch) {
      if (!pending.changes.changes().isEmpty()) {
        stored.add(pending.changes);
      }
    }
    try {
      if (!stored.isEmpty()) {
        store.commit(stored);
      }
    } catch (Throwable e) {
      // Any Throwable, an Error from a native driver or an OutOfMemoryError included: the store
      // kept nothing of the batch (or cannot say), so none of it may ever be published.
      refuse(batch, e);
      return;
    }
    // Listeners see the batch's last state: it contains every change of the batch, and publishing
    // once per batch keeps the DNS projection's work per commit, not per command.
    publishLock.lock();
    try {
      RegistryState next;
      synchronized (this) {
        committed = batch.get(batch.size() - 1).state;
        while (!overlays.isEmpty() && overlays.peekFirst().version() < committed.version()) {
          overlays.removeFirst(); // decided before the batch's last command: already in its state
        }
        next = publishComposed();
        if (lastDecided == batch.get(batch.size() - 1)) {
          foldOverlays(next); // nothing decided after this batch is still on its way
        }
      }
      for (Pending pending : batch) {
        pending.done = true;
      }
      tellListeners(next);
    } finally {
      publishLock.unlock();
    }
  }

  private void tellListeners(RegistryState next) { // under the publish lock
    for (RegistryListener listener : listeners) {
      try {
        listener.onChange(next);
      } catch (Throwable e) {
        // A bug in one listener must not fail commands that are already durable.
        LOG.error("registry listener {} failed at version {}", listener, next.version(), e);
      }
    }
  }

  private void refuse(List<Pending> batch, Throwable cause) {
    RegistryStoreException failure =
        cause instanceof RegistryStoreException known
            ? known
            : new RegistryStoreException(
                "the registry store failed: "
                    + (cause.getMessage() != null ? cause.getMessage() : cause.toString()),
                cause);
    List<Pending> refused = new ArrayList<>(batch);
    synchronized (this) {
      // Everything decided since was decided against the changes that were just lost. The
      // published state keeps the overlays laid on it; those not published yet are dropped with
      // the batches they were decided on.
      refused.addAll(queue);
      queue.clear();
      overlays.clear();
      committed = published;
      working = published;
      lastDecided = null;
    }
    LOG.error(
        "registry store failed; {} submissions refused, registry stays at version {}",
        refused.size(),
        published.version(),
        cause);
    for (Pending pending : refused) {
      pending.done = true;
      pending.failure = failure;
    }
  }

  /** Unstored health published ahead of the store: its decision's version and its statuses. */
  private record Overlay(long version, List<StateDelta> changes) {}

  /** A decided submission on its way to the store. Its flags are guarded by the commit lock. */
  private static final class Pending {
    final RegistryState state;
    final DeltaSet changes;
    volatile boolean done; // read under the monitor by overlay publications
    RegistryStoreException failure;

    Pending(RegistryState state, DeltaSet changes) {
      this.state = state;
      this.changes = changes;
    }
  }
}
