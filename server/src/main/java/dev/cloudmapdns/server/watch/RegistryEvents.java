package dev.cloudmapdns.server.watch;

import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.RegistryListener;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.ServiceEntry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns the registry's successive states into per-instance changes for watchers. As a listener it
 * runs inside the registry's lock, so it only compares the service entries that changed (unchanged
 * ones are the same objects) and queues the changes; each subscription's queue is drained on the
 * delivery executor, so a slow watcher never holds up the registry. A watcher that falls more than
 * {@code queueLimit} changes behind is ended.
 */
public final class RegistryEvents implements RegistryListener {
  private final Executor delivery;
  private final int queueLimit;
  private final Clock clock;
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private RegistryState last = RegistryState.empty();

  public RegistryEvents(Executor delivery, int queueLimit, Clock clock) {
    this.delivery = delivery;
    this.queueLimit = queueLimit;
    this.clock = clock;
  }

  /** Where a subscription's changes go; called on the delivery executor, one call at a time. */
  public interface Sink {
    void change(RegistryChange change);

    /** The watcher fell too far behind and was dropped; no more changes follow. */
    void overflowed();
  }

  /**
   * Subscribes {@code sink} to the changes that match {@code filter}, first handing it every
   * current instance (as {@link RegistryChange.Kind#CURRENT}) when {@code withCurrent}; no change
   * is lost or repeated between the two.
   */
  public synchronized Subscription subscribe(WatchFilter filter, boolean withCurrent, Sink sink) {
    Subscription subscription = new Subscription(filter, sink);
    if (withCurrent) {
      Instant now = clock.instant();
      for (ServiceEntry entry : last.services().values()) {
        for (RegisteredInstance instance : entry.instances().values()) {
          subscription.offer(
              change(RegistryChange.Kind.CURRENT, last, entry, instance, null, now), false);
        }
      }
    }
    subscriptions.add(subscription);
    subscription.schedule();
    return subscription;
  }

  /** How many watchers are subscribed. */
  public int subscribers() {
    return subscriptions.size();
  }

  @Override
  public synchronized void onChange(RegistryState state) {
    RegistryState previous = last;
    last = state;
    if (subscriptions.isEmpty()) {
      return;
    }
    List<RegistryChange> changes = diff(previous, state);
    for (Subscription subscription : subscriptions) {
      for (RegistryChange change : changes) {
        subscription.offer(change, true);
      }
      subscription.schedule();
    }
  }

  private List<RegistryChange> diff(RegistryState before, RegistryState after) {
    List<RegistryChange> changes = new ArrayList<>();
    Instant now = clock.instant();
    for (ServiceEntry entry : after.services().values()) {
      ServiceEntry old = before.services().get(entry.service().id());
      if (old == entry) {
        continue;
      }
      Map<String, RegisteredInstance> oldInstances = old == null ? Map.of() : old.instances();
      for (RegisteredInstance instance : entry.instances().values()) {
        RegisteredInstance was = oldInstances.get(instance.instance().id());
        if (was == null) {
          changes.add(change(RegistryChange.Kind.REGISTERED, after, entry, instance, null, now));
        } else if (was.instance() != instance.instance()) {
          changes.add(change(RegistryChange.Kind.UPDATED, after, entry, instance, null, now));
        } else if (was.health() != instance.health()) {
          changes.add(
              change(
                  RegistryChange.Kind.HEALTH_CHANGED, after, entry, instance, was.health(), now));
        }
      }
      for (RegisteredInstance was : oldInstances.values()) {
        if (!entry.instances().containsKey(was.instance().id())) {
          changes.add(change(RegistryChange.Kind.DEREGISTERED, after, entry, was, null, now));
        }
      }
    }
    return changes;
  }

  private static RegistryChange change(
      RegistryChange.Kind kind,
      RegistryState state,
      ServiceEntry entry,
      RegisteredInstance instance,
      HealthStatus previousHealth,
      Instant at) {
    String namespaceId = entry.service().namespaceId();
    String namespaceName = state.namespace(namespaceId).map(Namespace::name).orElse("");
    return new RegistryChange(
        kind,
        state.version(),
        namespaceId,
        namespaceName,
        entry.service().id(),
        entry.service().name(),
        instance.instance().id(),
        instance.health(),
        previousHealth,
        instance.instance().attributes(),
        at);
  }

  /** One watcher's queue. Cancel it when the watcher goes away. */
  public final class Subscription {
    private final WatchFilter filter;
    private final Sink sink;
    private final ConcurrentLinkedQueue<RegistryChange> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean cancelled;
    private volatile boolean overflowed;

    private Subscription(WatchFilter filter, Sink sink) {
      this.filter = filter;
      this.sink = sink;
    }

    public void cancel() {
      cancelled = true;
      subscriptions.remove(this);
    }

    private void offer(RegistryChange change, boolean bounded) {
      if (cancelled || overflowed || !filter.matches(change)) {
        return;
      }
      if (bounded && queued.get() >= queueLimit) {
        overflowed = true;
        subscriptions.remove(this);
        return;
      }
      queue.add(change);
      queued.incrementAndGet();
    }

    private void schedule() {
      if ((queued.get() > 0 || overflowed) && draining.compareAndSet(false, true)) {
        try {
          delivery.execute(this::drain);
        } catch (RejectedExecutionException e) {
          cancel();
        }
      }
    }

    private void drain() {
      try {
        for (RegistryChange change; !cancelled && (change = queue.poll()) != null; ) {
          queued.decrementAndGet();
          sink.change(change);
        }
        if (overflowed && !cancelled && queue.isEmpty()) {
          cancelled = true;
          sink.overflowed();
        }
      } finally {
        draining.set(false);
      }
      if (!cancelled && (queued.get() > 0 || overflowed)) {
        schedule();
      }
    }
  }
}
