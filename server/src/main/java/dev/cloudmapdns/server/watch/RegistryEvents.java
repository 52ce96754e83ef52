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
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns the registry's successive states into per-instance {@link WatchEvent}s for watchers. As a
 * listener it runs inside the registry's commit lock, so it only compares the service entries that
 * changed (unchanged ones are the same objects) and queues the events; each subscription's queue is
 * drained on the delivery executor, so a slow watcher never holds up the registry.
 *
 * <p>Delivery follows the watcher's pace: a subscription hands its sink an event only while the
 * sink is {@linkplain Sink#ready() ready}, and waits for {@link Subscription#resume()} otherwise.
 * What it holds meanwhile is bounded: a watcher that falls more than {@code queueLimit} events
 * behind is dropped, its queue discarded, and told so ({@link Sink#overflowed()}). The current
 * instances a new watcher asks for are not copied: the subscription keeps the immutable state it
 * started from and reads it as the watcher takes it, so subscribing costs the same on any registry
 * and the snapshot never counts against the queue.
 */
public final class RegistryEvents implements RegistryListener {
  private final Executor delivery;
  private final int queueLimit;
  private final Clock clock;
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private RegistryState last = RegistryState.empty(); // guarded by this

  public RegistryEvents(Executor delivery, int queueLimit, Clock clock) {
    if (queueLimit < 1) {
      throw new IllegalArgumentException("queueLimit must be positive, got " + queueLimit);
    }
    this.delivery = delivery;
    this.queueLimit = queueLimit;
    this.clock = clock;
  }

  /** Where a subscription's events go; called on the delivery executor, one call at a time. */
  public interface Sink {
    /**
     * Whether the watcher can take an event now without it piling up in the transport. When it
     * returns false, the subscription stops until {@link Subscription#resume()}.
     */
    boolean ready();

    void deliver(WatchEvent event);

    /** The watcher fell too far behind and was dropped; no more events follow. */
    void overflowed();
  }

  /**
   * Subscribes {@code sink} to the events that match {@code filter}, first handing it every current
   * instance (as {@link WatchEvent.Kind#CURRENT}) when {@code withCurrent}; no event is lost or
   * repeated between the two. Takes constant time: the current instances are read from the state of
   * this moment while they are delivered.
   */
  public Subscription subscribe(WatchFilter filter, boolean withCurrent, Sink sink) {
    Subscription subscription;
    synchronized (this) {
      subscription = new Subscription(filter, sink, withCurrent ? last : null);
      subscriptions.add(subscription);
    }
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
    List<WatchEvent> events = diff(previous, state);
    for (Subscription subscription : subscriptions) {
      for (WatchEvent event : events) {
        subscription.offer(event);
      }
      subscription.schedule();
    }
  }

  private List<WatchEvent> diff(RegistryState before, RegistryState after) {
    List<WatchEvent> events = new ArrayList<>();
    Instant now = clock.instant();
    // Only the services that differ: the states share every other entry, and the diff skips them.
    before.serviceDifferences(
        after,
        (id, old, entry) -> {
          if (entry != null) {
            events(after, old, entry, now, events);
          }
        });
    return events;
  }

  private void events(
      RegistryState after,
      ServiceEntry old,
      ServiceEntry entry,
      Instant now,
      List<WatchEvent> events) {
    Map<String, RegisteredInstance> oldInstances = old == null ? Map.of() : old.instances();
    for (RegisteredInstance instance : entry.instances().values()) {
      RegisteredInstance was = oldInstances.get(instance.instance().id());
      if (was == null) {
        events.add(event(WatchEvent.Kind.REGISTERED, after, entry, instance, null, now));
      } else if (was.instance() != instance.instance()) {
        events.add(event(WatchEvent.Kind.UPDATED, after, entry, instance, null, now));
      } else if (was.health() != instance.health()) {
        events.add(
            event(WatchEvent.Kind.HEALTH_CHANGED, after, entry, instance, was.health(), now));
      }
    }
    for (RegisteredInstance was : oldInstances.values()) {
      if (!entry.instances().containsKey(was.instance().id())) {
        events.add(event(WatchEvent.Kind.DEREGISTERED, after, entry, was, null, now));
      }
    }
  }

  private static String namespaceName(RegistryState state, ServiceEntry entry) {
    return state.namespace(entry.service().namespaceId()).map(Namespace::name).orElse("");
  }

  private static WatchEvent event(
      WatchEvent.Kind kind,
      RegistryState state,
      ServiceEntry entry,
      RegisteredInstance instance,
      HealthStatus previousHealth,
      Instant at) {
    return new WatchEvent(
        kind,
        state.version(),
        entry.service().namespaceId(),
        namespaceName(state, entry),
        entry.service().id(),
        entry.service().name(),
        instance.instance().id(),
        instance.health(),
        previousHealth,
        instance.instance().attributes(),
        at);
  }

  /**
   * The instances of one immutable state that match a filter, read one at a time; only the
   * subscription's drain uses it, so it needs no locking.
   */
  private final class Snapshot {
    private final RegistryState state;
    private final WatchFilter filter;
    private final Iterator<ServiceEntry> services;
    private final Instant at;
    private ServiceEntry service;
    private Iterator<RegisteredInstance> instances = Collections.emptyIterator();

    Snapshot(RegistryState state, WatchFilter filter) {
      this.state = state;
      this.filter = filter;
      this.services = state.services().values().iterator();
      this.at = clock.instant();
    }

    /** The next current instance as an event, or null when all have been read. */
    WatchEvent next() {
      while (!instances.hasNext()) {
        if (!services.hasNext()) {
          return null;
        }
        ServiceEntry entry = services.next();
        if (filter.matchesService(
            namespaceName(state, entry), entry.service().id(), entry.service().name())) {
          service = entry;
          instances = entry.instances().values().iterator();
        }
      }
      return event(WatchEvent.Kind.CURRENT, state, service, instances.next(), null, at);
    }
  }

  /** One watcher's queue. Cancel it when the watcher goes away. */
  public final class Subscription {
    private final WatchFilter filter;
    private final Sink sink;
    private final ConcurrentLinkedQueue<WatchEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private RegistryState start; // only touched by drain (which runs one at a time) from here on
    private Snapshot snapshot; // only touched by drain
    private volatile boolean snapshotPending;
    private volatile boolean cancelled;
    private volatile boolean overflowed;

    private Subscription(WatchFilter filter, Sink sink, RegistryState start) {
      this.filter = filter;
      this.sink = sink;
      this.start = start;
      this.snapshotPending = start != null;
    }

    /** Stops delivery and forgets what was queued. */
    public void cancel() {
      cancelled = true;
      subscriptions.remove(this);
      discard();
    }

    /** The watcher can take events again: delivery continues where it stopped. */
    public void resume() {
      schedule();
    }

    /** Changes queued and not yet delivered (the current instances not counted). */
    int backlog() {
      return queued.get();
    }

    private void offer(WatchEvent event) {
      if (cancelled || overflowed || !filter.matches(event)) {
        return;
      }
      if (queued.get() >= queueLimit) {
        overflowed = true;
        subscriptions.remove(this);
        discard();
        return;
      }
      queue.add(event);
      queued.incrementAndGet();
    }

    private void discard() {
      while (queue.poll() != null) {
        queued.decrementAndGet();
      }
    }

    private boolean hasWork() {
      return !cancelled && (overflowed || queued.get() > 0 || snapshotPending);
    }

    private void schedule() {
      if (hasWork() && draining.compareAndSet(false, true)) {
        try {
          delivery.execute(this::drain);
        } catch (RejectedExecutionException e) {
          draining.set(false);
          cancel();
        }
      }
    }

    private void drain() {
      try {
        if (overflowed) {
          // The queue is gone: what the watcher would still get is of no use without a new watch.
          cancelled = true;
          sink.overflowed();
          return;
        }
        if (deliverSnapshot()) {
          while (!cancelled && !overflowed && sink.ready()) {
            WatchEvent event = queue.poll();
            if (event == null) {
              break;
            }
            queued.decrementAndGet();
            sink.deliver(event);
          }
        }
      } finally {
        draining.set(false);
      }
      // More work that the sink can take now, or an overflow that happened meanwhile; when the sink
      // is not ready, resume() comes once it is.
      if (overflowed || (sink.ready() && (snapshotPending || queued.get() > 0))) {
        schedule();
      }
    }

    /** Hands the sink current instances while it is ready; true once all have been handed. */
    private boolean deliverSnapshot() {
      if (!snapshotPending) {
        return true;
      }
      if (snapshot == null) {
        snapshot = new Snapshot(start, filter);
      }
      while (!cancelled && !overflowed && sink.ready()) {
        WatchEvent current = snapshot.next();
        if (current == null) {
          snapshot = null;
          start = null;
          snapshotPending = false;
          return true;
        }
        sink.deliver(current);
      }
      return false;
    }
  }
}
