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
 * the store); each submission that changes anything becomes one {@link ChangeSet} and one new
 * version. Whichever waiting submission finds the commit lock free takes every queued change set,
 * commits them to the store in one batch (a group commit) and publishes the batch's last state
 * once. Readers only ever see published, hence durable, states. If the store fails, the batch and
 * every submission decided on top of it are refused and the working state goes back to the
 * published one.
 */
final class GroupCommit {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

  private final RegistryStore store;
  private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();

  /** Held while a batch is committed and published; taken before the monitor, never inside it. */
  private final ReentrantLock commitLock = new ReentrantLock();

  /** The last published state: durable, and what every reader sees. */
  private volatile RegistryState published;

  /** The state submissions are decided against: the published one plus the queued changes. */
  private RegistryState working; // guarded by this

  /** Decided submissions not yet taken by a committer, oldest first. */
  private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // guarded by this

  /** The submission decided last, committed or not; null before the first. */
  private Pending lastDecided; // guarded by this

  GroupCommit(RegistryStore store, RegistryState loaded) {
    this.store = Objects.requireNonNull(store, "store");
    this.published = loaded;
    synchronized (this) {
      this.working = loaded;
    }
  }

  RegistryState published() {
    return published;
  }

  void addListener(RegistryListener listener) {
    commitLock.lock();
    try {
      listeners.add(listener);
      listener.onChange(published);
    } finally {
      commitLock.unlock();
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
    Pending pending;
    synchronized (this) {
      Draft draft = new Draft(working);
      answer = decide.apply(draft);
      if (draft.changed()) {
        RegistryState next = draft.state().withVersion(working.version() + 1);
        working = next;
        pending = new Pending(next, new ChangeSet(next.version(), draft.durableChanges()));
        queue.addLast(pending);
        lastDecided = pending;
      } else {
        pending = lastDecided;
      }
    }
    if (pending != null) {
      commitThrough(pending);
    }
    return answer;
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
    List<ChangeSet> stored = new ArrayList<>(batch.size());
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
    RegistryState last = batch.get(batch.size() - 1).state;
    published = last;
    for (Pending pending : batch) {
      pending.done = true;
    }
    for (RegistryListener listener : listeners) {
      try {
        listener.onChange(last);
      } catch (Throwable e) {
        // A bug in one listener must not fail commands that are already durable.
        LOG.error("registry listener {} failed at version {}", listener, last.version(), e);
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
      // Everything decided since was decided against the changes that were just lost.
      refused.addAll(queue);
      queue.clear();
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

  /** A decided submission on its way to the store. Its flags are guarded by the commit lock. */
  private static final class Pending {
    final RegistryState state;
    final ChangeSet changes;
    boolean done;
    RegistryStoreException failure;

    Pending(RegistryState state, ChangeSet changes) {
      this.state = state;
      this.changes = changes;
    }
  }
}
