package dev.cloudmapdns.server.health;

import dev.cloudmapdns.server.registry.CommandOutcome;
import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.Instance;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryCommand;
import dev.cloudmapdns.server.registry.RegistryListener;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.RegistryStoreException;
import dev.cloudmapdns.server.registry.ServiceEntry;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the active health checks the registry asks for, and pushes what they find back into it.
 *
 * <p>As a {@link RegistryListener} it only records the newest state and enqueues one reconcile on
 * its loop; it never probes or waits inside the registry's lock. The reconcile compares the checks
 * the registry wants (every instance of every service with a HealthCheckConfig) with the checks
 * running: a new instance is checked at once, then every interval with jitter; a deregistered
 * instance or deleted service stops being checked; a changed target (address, port, check) restarts
 * the check. All check state lives on the loop, which is also the prober's event loop, so it needs
 * no locks.
 *
 * <p>Each result goes through the instance's {@link HealthTracker}. Whenever the tracker's status
 * differs from the registry's, the status is queued for the publisher executor (outside the
 * registry lock, never on the loop), which pushes every queued status as one {@link
 * Registry#executeEach} batch of {@link RegistryCommand.UpdateHealth} commands, each naming the
 * registration it was probed for; a push that loses a race with a deregistration or a
 * re-registration is refused by the registry and dropped. Comparing with the registry, not only
 * with the previous result, makes the push idempotent and self-healing.
 */
public final class HealthWorkers implements RegistryListener {
  private static final Logger LOG = LoggerFactory.getLogger(HealthWorkers.class);

  private final Registry registry;
  private final Prober prober;
  private final ScheduledExecutorService loop;
  private final Executor publisher;
  private final HealthSettings settings;
  private final HealthMetrics metrics;
  private final Consumer<HealthTransition> transitions;
  private final Clock clock;
  private final CheckOwnership ownership;
  private final AtomicBoolean ownersChanged = new AtomicBoolean();

  /** Statuses found but not pushed yet; at most one publisher task at a time drains them. */
  private static final int MAX_PUSH_BATCH = 1_000;

  private final ConcurrentLinkedQueue<Push> pushes = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean pushScheduled = new AtomicBoolean();
  private final AtomicReference<RegistryState> latest = new AtomicReference<>();
  private final AtomicBoolean reconcilePending = new AtomicBoolean();

  // Loop-confined from here on.
  private RegistryState seen;
  private final Map<InstanceKey, Check> checks = new HashMap<>();
  private final ArrayDeque<Check> waiting = new ArrayDeque<>();
  private final SplittableRandom random = new SplittableRandom();
  private int inFlight;

  /**
   * @param loop runs every check step; must be the prober's event loop (single-threaded)
   * @param publisher pushes statuses into the registry, in order (single-threaded)
   * @param transitions told of each transition the registry applied, on the publisher
   * @param ownership which instances this server checks ({@link CheckOwnership#EVERY_INSTANCE}
   *     alone); the others are left to the replicas that own them
   */
  public HealthWorkers(
      Registry registry,
      Prober prober,
      ScheduledExecutorService loop,
      Executor publisher,
      HealthSettings settings,
      HealthMetrics metrics,
      Consumer<HealthTransition> transitions,
      Clock clock,
      CheckOwnership ownership) {
    this.ownership = ownership;
    ownership.onChange(
        () -> {
          ownersChanged.set(true);
          RegistryState state = latest.get();
          if (state != null) {
            onChange(state);
          }
        });
    this.registry = registry;
    this.prober = prober;
    this.loop = loop;
    this.publisher = publisher;
    this.settings = settings;
    this.metrics = metrics;
    this.transitions = transitions;
    this.clock = clock;
  }

  /** Called inside the registry's lock: record and enqueue, nothing else. */
  @Override
  public void onChange(RegistryState state) {
    latest.set(state);
    if (reconcilePending.compareAndSet(false, true)) {
      try {
        loop.execute(this::reconcile);
      } catch (RejectedExecutionException e) {
        // Shutting down: there is nothing left to check.
        reconcilePending.set(false);
      }
    }
  }

  private void reconcile() {
    reconcilePending.set(false);
    RegistryState state = latest.get();
    RegistryState before = seen;
    seen = state;
    if (before == null) {
      for (ServiceEntry entry : state.services().values()) {
        reconcileService(entry, null);
      }
    } else {
      // Only the services that differ: the states share every other entry, and the diff skips
      // them, so a reconcile costs what changed, not the size of the registry.
      before.serviceDifferences(
          state,
          (id, previous, entry) -> {
            if (entry == null) {
              stopService(id, previous);
            } else {
              reconcileService(entry, previous);
            }
          });
    }
    if (ownersChanged.getAndSet(false)) {
      // Replicas came or went: every check may have moved, to or from this server.
      for (ServiceEntry entry : state.services().values()) {
        reconcileService(entry, null);
      }
    }
    metrics.activeChecks(checks.size());
  }

  private void reconcileService(ServiceEntry entry, ServiceEntry previous) {
    String serviceId = entry.service().id();
    if (previous != null) {
      for (String instanceId : previous.instances().keySet()) {
        if (!entry.instances().containsKey(instanceId)
            || entry.service().healthCheckConfig() == null) {
          stop(new InstanceKey(serviceId, instanceId));
        }
      }
    }
    if (entry.service().healthCheckConfig() == null) {
      return;
    }
    for (RegisteredInstance registered : entry.instances().values()) {
      InstanceKey key = new InstanceKey(serviceId, registered.instance().id());
      if (!ownership.owns(serviceId, key.instanceId())) {
        stop(key); // another replica checks it and writes what it finds
        continue;
      }
      Optional<CheckTarget> target =
          CheckTarget.of(entry.service().healthCheckConfig(), registered.instance());
      Check running = checks.get(key);
      if (running != null
          && target.isPresent()
          && running.target.equals(target.get())
          && (running.instance == registered.instance() || !reregistered(running, registered))) {
        running.instance = registered.instance();
        continue;
      }
      stop(key);
      if (target.isEmpty()) {
        LOG.warn(
            "health check skipped service={} instance={} reason=\"no address to probe\"",
            serviceId,
            key.instanceId());
        continue;
      }
      Check check =
          new Check(
              key,
              target.get(),
              registered.instance(),
              HealthTracker.startingAt(registered.health(), target.get().threshold()));
      checks.put(key, check);
      check.dueNanos = System.nanoTime();
      enqueue(check);
    }
  }

  /**
   * A deregistered and registered-again instance starts over as UNKNOWN in the registry, while the
   * running check already knows better: restart its check so that the first result decides.
   */
  private static boolean reregistered(Check running, RegisteredInstance registered) {
    return registered.health() == HealthStatus.UNKNOWN
        && running.tracker.status() != HealthStatus.UNKNOWN;
  }

  private void stopService(String serviceId, ServiceEntry entry) {
    for (String instanceId : entry.instances().keySet()) {
      stop(new InstanceKey(serviceId, instanceId));
    }
  }

  private void stop(InstanceKey key) {
    Check check = checks.remove(key);
    if (check != null) {
      check.stopped = true;
      if (check.next != null) {
        check.next.cancel(false);
      }
    }
  }

  private void enqueue(Check check) {
    if (check.stopped) {
      return;
    }
    if (inFlight < settings.maxConcurrentProbes()) {
      launch(check);
    } else {
      waiting.add(check);
    }
  }

  private void launch(Check check) {
    inFlight++;
    metrics.probesInFlight(inFlight);
    long now = System.nanoTime();
    metrics.probeStarted(Math.max(0, now - check.dueNanos));
    check.startedNanos = now;
    prober.probe(check.target, result -> loop.execute(() -> finished(check, result)));
  }

  private void finished(Check check, ProbeResult result) {
    inFlight--;
    metrics.probesInFlight(inFlight);
    metrics.probeFinished(result.healthy());
    if (!check.stopped) {
      check.tracker = check.tracker.record(result.healthy());
      pushIfDifferent(check, result);
      scheduleNext(check);
    }
    while (inFlight < settings.maxConcurrentProbes() && !waiting.isEmpty()) {
      Check next = waiting.poll();
      if (!next.stopped) {
        launch(next);
      }
    }
  }

  /**
   * The next check is due one interval (plus jitter) after this one started, not after this one was
   * due: a check that had to wait in line moves the instance's schedule rather than making it fire
   * early next time, so a burst (many registrations at once) spreads out instead of repeating.
   */
  private void scheduleNext(Check check) {
    long now = System.nanoTime();
    long jitter = settings.jitter().toNanos();
    long offset = jitter == 0 ? 0 : random.nextLong(-jitter, jitter + 1);
    long due = check.startedNanos + settings.interval().toNanos() + offset;
    check.dueNanos = due;
    check.next = loop.schedule(() -> enqueue(check), Math.max(0, due - now), TimeUnit.NANOSECONDS);
  }

  private void pushIfDifferent(Check check, ProbeResult result) {
    HealthStatus wanted = check.tracker.status();
    HealthStatus current = currentHealth(check.key);
    if (wanted == HealthStatus.UNKNOWN || current == null || current == wanted) {
      return;
    }
    pushes.add(new Push(check, check.instance, wanted, result.reason()));
    if (pushScheduled.compareAndSet(false, true)) {
      try {
        publisher.execute(this::publishPushes);
      } catch (RejectedExecutionException e) {
        pushScheduled.set(false); // shutting down
      }
    }
  }

  private HealthStatus currentHealth(InstanceKey key) {
    return healthIn(registry.state(), key);
  }

  private static HealthStatus healthIn(RegistryState state, InstanceKey key) {
    ServiceEntry entry = state.services().get(key.serviceId());
    RegisteredInstance registered = entry == null ? null : entry.instances().get(key.instanceId());
    return registered == null ? null : registered.health();
  }

  /**
   * Pushes every status waiting, at most {@link #MAX_PUSH_BATCH} at a time, as one registry batch:
   * a thousand targets failing together are a few publications, not a thousand. Each push names the
   * registration it was probed for; the registry refuses it (and it is dropped) when the instance
   * was deregistered or registered again since, perhaps at another address, whose own check will
   * decide.
   */
  private void publishPushes() {
    pushScheduled.set(false);
    List<Push> batch = new ArrayList<>();
    for (Push push = pushes.poll(); push != null; push = pushes.poll()) {
      if (!push.check().stopped) {
        batch.add(push);
      }
      if (batch.size() == MAX_PUSH_BATCH || pushes.isEmpty()) {
        publish(batch);
        batch.clear();
      }
    }
  }

  private void publish(List<Push> batch) {
    if (batch.isEmpty()) {
      return;
    }
    List<RegistryCommand.UpdateHealth> commands = new ArrayList<>(batch.size());
    for (Push push : batch) {
      InstanceKey key = push.check().key;
      commands.add(
          new RegistryCommand.UpdateHealth(
              key.serviceId(), key.instanceId(), push.status(), push.probed()));
    }
    RegistryState before = registry.state();
    List<CommandOutcome<?>> outcomes;
    try {
      outcomes = registry.executeEach(commands);
    } catch (RegistryStoreException e) {
      // A store failure refused the batch these updates shared; the next probes push them again.
      LOG.warn("health updates lost count={} reason=\"{}\"", batch.size(), e.getMessage());
      return;
    }
    Map<InstanceKey, HealthStatus> previous = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      Push push = batch.get(i);
      InstanceKey key = push.check().key;
      HealthStatus from = previous.containsKey(key) ? previous.get(key) : healthIn(before, key);
      if (outcomes.get(i) instanceof CommandOutcome.Refused<?> refused) {
        // Deregistered or registered again after the probe: the next reconcile sorts it out.
        LOG.debug(
            "health update dropped service={} instance={} reason=\"{}\"",
            key.serviceId(),
            key.instanceId(),
            refused.failure().getMessage());
      } else if (Boolean.TRUE.equals(outcomes.get(i).value())) {
        previous.put(key, push.status());
        HealthTransition transition =
            new HealthTransition(
                key.serviceId(),
                key.instanceId(),
                push.check().target,
                from == null ? HealthStatus.UNKNOWN : from,
                push.status(),
                push.reason(),
                clock.instant());
        metrics.transition(push.status());
        LOG.info(transition.logLine());
        transitions.accept(transition);
      }
    }
  }

  /** A status to push for the registration {@code probed}, the one the check's probe reached. */
  private record Push(Check check, Instance probed, HealthStatus status, String reason) {}

  private record InstanceKey(String serviceId, String instanceId) {}

  /** One instance's running check. Loop-confined except {@code stopped}, read by the publisher. */
  private static final class Check {
    final InstanceKey key;
    final CheckTarget target;
    volatile Instance instance;
    HealthTracker tracker;
    long dueNanos;
    long startedNanos;
    ScheduledFuture<?> next;
    volatile boolean stopped;

    Check(InstanceKey key, CheckTarget target, Instance instance, HealthTracker tracker) {
      this.key = key;
      this.target = target;
      this.instance = instance;
      this.tracker = tracker;
    }
  }
}
