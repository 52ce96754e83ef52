package dev.cloudmapdns.server.registry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.UnaryOperator;
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
 * <p>A shared store also hands over what other writers committed ({@link StoreFeed}). Such a change
 * set is applied under the commit lock, so never while a batch of ours is on its way: it is laid on
 * the published state, the result published as one new version (listeners run once), and every
 * submission still queued is decided again on top of it. A batch the store refuses because another
 * writer committed first ({@link RegistryStoreConflict}) goes back to the head of the queue and is
 * decided again the same way once the feed has handed over the other writer's change, so a lost
 * race answers as the command would have against the fresh state, never with a failure (up to
 * {@link #MAX_LOST_RACES} in a row).
 *
 * <p>Locks, always taken in this order: the commit lock (one store commit or feed application at a
 * time), the publish lock (one publication and round of listeners at a time), the monitor
 * (deciding, queues, states).
 */
final class GroupCommit implements StoreFeed {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

  /** Lost races in a row after which a batch is refused after all (a fleet writing one key). */
  static final int MAX_LOST_RACES = 16;

  /** How long a lost race waits for the feed to hand over the change it lost to. */
  private static final long FEED_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final RegistryStore store;
  private final UnaryOperator<RegistryState> restore;
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

  /** What the store's feed handed over and is not applied yet, oldest first. */
  private final ArrayDeque<Followed> followed = new ArrayDeque<>(); // guarded by this

  /** The newest feed position handed over; 0 before the first. */
  private long followedThrough; // guarded by this

  /**
   * @param restore what a state the store reloaded becomes (health derived as at start-up)
   */
  GroupCommit(RegistryStore store, RegistryState loaded, UnaryOperator<RegistryState> restore) {
    this.store = Objects.requireNonNull(store, "store");
    this.restore = Objects.requireNonNull(restore, "restore");
    this.published = loaded;
    synchronized (this) {
      this.committed = loaded;
      this.working = loaded;
    }
  }

  RegistryState published() {
    return published;
  }

  Optional<StoreStatus> storeStatus() {
    return store.status();
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
          pending = enqueue(new Pending(decide), next, draft.durableChanges());
          pending.answer = answer;
        }
      } else if (lastDecided != null && !lastDecided.done) {
        // The answer may rest on a submission still on its way: wait with it, in its batch, and be
        // decided again with it should another writer's change come first.
        pending = enqueue(new Pending(decide), working, List.of());
        pending.answer = answer;
      }
    }
    if (overlay) {
      publishOverlays();
    } else if (pending != null) {
      commitThrough(pending);
      @SuppressWarnings("unchecked") // the answer of this very decide function
      R decided = (R) pending.answer;
      return decided;
    }
    return answer;
  }

  /** Queues {@code pending} as decided into {@code state} with {@code durable} deltas. */
  private Pending enqueue(Pending pending, RegistryState state, List<StateDelta> durable) {
    pending.state = state;
    pending.changes = new DeltaSet(state.version(), durable);
    queue.addLast(pending);
    lastDecided = pending;
    return pending;
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
      applyFollowed(); // what other writers committed comes first: the batch is decided on it
      int lostRaces = 0;
      while (!pending.done) {
        List<Pending> batch = takeBatch();
        if (batch.isEmpty()) {
          throw new IllegalStateException("a submission on its way is in no batch");
        }
        if (commit(batch, lostRaces < MAX_LOST_RACES)) {
          lostRaces++;
        }
      }
      if (pending.failure != null) {
        throw pending.failure;
      }
    } finally {
      commitLock.unlock();
      applyFollowedIfFree(); // what the feed handed over meanwhile, had it found the lock taken
    }
  }

  /**
   * Takes the queued submissions, oldest first, as many as the store can commit at once (etcd
   * limits the operations of one transaction); the rest wait for the next round.
   */
  private synchronized List<Pending> takeBatch() {
    List<DeltaSet> stored = new ArrayList<>(queue.size());
    for (Pending pending : queue) {
      stored.add(pending.changes);
    }
    int fits = Math.max(1, Math.min(queue.size(), store.fitting(stored)));
    List<Pending> batch = new ArrayList<>(fits);
    for (int i = 0; i < fits && !queue.isEmpty(); i++) {
      batch.add(queue.removeFirst());
    }
    return batch;
  }

  /**
   * Commits one batch and publishes its last state. Runs under the commit lock.
   *
   * @param mayRetry whether a batch that lost the race to another writer is decided again
   * @return true when it lost that race and is queued again, decided against the fresh state
   */
  private boolean commit(List<Pending> batch, boolean mayRetry) {
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
    } catch (RegistryStoreConflict lost) {
      if (mayRetry && requeueAfter(batch, lost.position())) {
        return true;
      }
      refuse(batch, lost);
      return false;
    } catch (Throwable e) {
      // Any Throwable, an Error from a native driver or an OutOfMemoryError included: the store
      // kept nothing of the batch (or cannot say), so none of it may ever be published.
      refuse(batch, e);
      return false;
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
    return false;
  }

  /**
   * After a lost race: waits until the feed has handed over the other writer's change at {@code
   * position}, puts {@code batch} back at the head of the queue and applies the change, which
   * decides the batch again. Under the commit lock.
   *
   * @return false when the feed did not get there in time: the batch is not queued
   */
  private boolean requeueAfter(List<Pending> batch, long position) {
    long deadline = System.nanoTime() + FEED_WAIT_NANOS;
    synchronized (this) {
      while (followedThrough < position) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      for (int i = batch.size() - 1; i >= 0; i--) {
        queue.addFirst(batch.get(i));
      }
    }
    applyFollowed();
    return true;
  }

  @Override
  public void followed(long position, List<StateDelta> changes) {
    handOver(new Followed(position, List.copyOf(changes), null));
  }

  @Override
  public void reloaded(long position, RegistryState state) {
    handOver(new Followed(position, List.of(), Objects.requireNonNull(state, "state")));
  }

  /**
   * Takes a change from the feed and applies it now if no batch of ours is on its way, else leaves
   * it to whoever holds the commit lock: the feed never waits for a commit (a committer that lost a
   * race waits for the feed, so the feed waiting for it would stall both).
   */
  private void handOver(Followed change) {
    synchronized (this) {
      followed.addLast(change);
      followedThrough = Math.max(followedThrough, change.position());
      notifyAll(); // a committer that lost a race may be waiting for this very position
    }
    applyFollowedIfFree();
  }

  /** Applies what the feed handed over unless the commit lock is taken; its holder checks after. */
  private void applyFollowedIfFree() {
    while (hasFollowed() && commitLock.tryLock()) {
      try {
        applyFollowed();
      } finally {
        commitLock.unlock();
      }
    }
  }

  private synchronized boolean hasFollowed() {
    return !followed.isEmpty();
  }

  /**
   * Applies everything the feed handed over on top of the published state, publishes the result as
   * one new version and decides every queued submission again on top of it. Under the commit lock:
   * no batch is on its way to the store, so the published state (with its overlays) is all that was
   * decided and kept.
   */
  private void applyFollowed() {
    List<Followed> changes;
    synchronized (this) {
      if (followed.isEmpty()) {
        return;
      }
      changes = new ArrayList<>(followed);
      followed.clear();
    }
    publishLock.lock();
    try {
      RegistryState next;
      synchronized (this) {
        RegistryState state = publishComposed();
        for (Followed change : changes) {
          state = change.reload() != null ? restore.apply(change.reload()) : apply(state, change);
        }
        next = state.withVersion(Math.max(working.version(), published.version()) + 1);
        published = next;
        committed = next;
        overlays.clear();
        working = next;
        List<Pending> queued = new ArrayList<>(queue);
        queue.clear();
        lastDecided = null;
        for (Pending pending : queued) {
          decideAgain(pending);
        }
      }
      store.appliedThrough(changes.get(changes.size() - 1).position());
      tellListeners(next);
    } finally {
      publishLock.unlock();
    }
  }

  /**
   * {@code state} with another writer's deltas. One that does not fit (it names a service this
   * replica does not have) is logged and skipped: whole values make the next change heal it.
   */
  private static RegistryState apply(RegistryState state, Followed change) {
    RegistryState next = state;
    for (StateDelta delta : change.changes()) {
      try {
        next = next.apply(List.of(delta));
      } catch (IllegalStateException | IllegalArgumentException misfit) {
        LOG.warn(
            "skipped another writer's change at store position {}: {}",
            change.position(),
            misfit.getMessage());
      }
    }
    return next;
  }

  /** Decides a queued submission again against the working state and queues it again. */
  private void decideAgain(Pending pending) { // under the monitor
    Draft draft = new Draft(working);
    try {
      pending.answer = pending.decide.apply(draft);
    } catch (RuntimeException refused) {
      pending.failure = refused; // refused against the fresh state, as it would have been there
      pending.done = true;
      return;
    }
    if (draft.changed()) {
      RegistryState next = draft.state().withVersion(working.version() + 1);
      working = next;
      enqueue(pending, next, draft.durableChanges());
    } else {
      enqueue(pending, working, List.of());
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

  /** What the feed handed over: another writer's deltas, or a whole reloaded state. */
  private record Followed(long position, List<StateDelta> changes, RegistryState reload) {}

  /**
   * A decided submission on its way to the store, with what decides it (again, after a lost race).
   * Its fields are written under the monitor and read under the commit lock.
   */
  private static final class Pending {
    final Function<Draft, ?> decide;
    RegistryState state;
    DeltaSet changes;
    Object answer;
    volatile boolean done; // read under the monitor by overlay publications
    RuntimeException failure;

    Pending(Function<Draft, ?> decide) {
      this.decide = decide;
    }
  }
}
