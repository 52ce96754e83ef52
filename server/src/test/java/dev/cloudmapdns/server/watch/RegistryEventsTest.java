package dev.cloudmapdns.server.watch;

import static dev.cloudmapdns.server.testing.RegistryFixture.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.testing.RegistryFixture;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/**
 * The watch subscriptions, with deliveries run by the test and a sink that takes what it allows.
 */
class RegistryEventsTest {
  private final Queue<Runnable> pending = new ArrayDeque<>();
  private final RegistryFixture fixture = new RegistryFixture();
  private final String api = fixture.service("api", tcp(1)); // data only: no checks run here

  private void runPending() {
    for (Runnable task; (task = pending.poll()) != null; ) {
      task.run();
    }
  }

  private RegistryEvents events(int queueLimit) {
    RegistryEvents events = new RegistryEvents(pending::add, queueLimit, Clock.systemUTC());
    fixture.registry.addListener(events);
    return events;
  }

  private void register(int from, int to) {
    for (int i = from; i <= to; i++) {
      fixture.register(api, "i" + i, "10.0." + (i / 250) + "." + (i % 250), 80);
    }
  }

  /** A watcher that takes as many changes as it has credit for, like a gRPC call's isReady. */
  private static final class PacedSink implements RegistryEvents.Sink {
    final List<WatchEvent> seen = new ArrayList<>();
    int credit;
    boolean overflowed;

    PacedSink(int credit) {
      this.credit = credit;
    }

    @Override
    public boolean ready() {
      return credit > 0;
    }

    @Override
    public void deliver(WatchEvent event) {
      assertTrue(credit > 0, "a change was handed over while the watcher was not ready");
      credit--;
      seen.add(event);
    }

    @Override
    public void overflowed() {
      overflowed = true;
    }

    List<String> instanceIds() {
      return seen.stream().map(WatchEvent::instanceId).toList();
    }

    List<WatchEvent.Kind> kinds() {
      return seen.stream().map(WatchEvent::kind).toList();
    }
  }

  @Test
  void handsOverChangesOnlyWhileTheWatcherIsReadyAndResumesWhereItStopped() {
    RegistryEvents events = events(100);
    register(1, 5);
    PacedSink sink = new PacedSink(3);
    RegistryEvents.Subscription subscription = events.subscribe(WatchFilter.ALL, true, sink);
    runPending();
    assertEquals(List.of("i1", "i2", "i3"), sink.instanceIds());

    register(6, 6);
    runPending();
    assertEquals(3, sink.seen.size());

    sink.credit = 100;
    subscription.resume();
    runPending();
    assertEquals(List.of("i1", "i2", "i3", "i4", "i5", "i6"), sink.instanceIds());
    assertEquals(
        List.of(
            WatchEvent.Kind.CURRENT,
            WatchEvent.Kind.CURRENT,
            WatchEvent.Kind.CURRENT,
            WatchEvent.Kind.CURRENT,
            WatchEvent.Kind.CURRENT,
            WatchEvent.Kind.REGISTERED),
        sink.kinds());
  }

  @Test
  void subscribingCopiesNothingTheCurrentInstancesAreReadAsTheyAreDelivered() {
    RegistryEvents events = events(10);
    register(1, 1_000);
    PacedSink sink = new PacedSink(Integer.MAX_VALUE);
    RegistryEvents.Subscription subscription = events.subscribe(WatchFilter.ALL, true, sink);
    assertEquals(0, subscription.backlog());
    runPending();
    assertEquals(1_000, new HashSet<>(sink.instanceIds()).size());
    assertTrue(sink.kinds().stream().allMatch(kind -> kind == WatchEvent.Kind.CURRENT));
  }

  @Test
  void writesGoOnWhileAWatcherHoldsItsSnapshotAndNoChangeIsLostOrRepeated() {
    RegistryEvents events = events(500);
    register(1, 800);
    PacedSink sink = new PacedSink(0);
    RegistryEvents.Subscription subscription = events.subscribe(WatchFilter.ALL, true, sink);
    runPending();
    register(801, 1_000);
    fixture.registry.deregisterInstance(api, "i1");
    assertEquals(201, subscription.backlog());

    sink.credit = Integer.MAX_VALUE;
    subscription.resume();
    runPending();
    assertEquals(1_001, sink.seen.size());
    assertEquals("i1", sink.seen.get(0).instanceId());
    assertEquals(WatchEvent.Kind.CURRENT, sink.seen.get(799).kind());
    assertEquals("i801", sink.seen.get(800).instanceId());
    assertEquals(WatchEvent.Kind.REGISTERED, sink.seen.get(800).kind());
    WatchEvent last = sink.seen.get(1_000);
    assertEquals(WatchEvent.Kind.DEREGISTERED, last.kind());
    assertEquals("i1", last.instanceId());
  }

  @Test
  void dropsAWatcherThatFallsTooFarBehindAndForgetsItsQueue() {
    RegistryEvents events = events(2);
    PacedSink sink = new PacedSink(0);
    RegistryEvents.Subscription subscription = events.subscribe(WatchFilter.ALL, false, sink);
    register(1, 2);
    assertEquals(2, subscription.backlog());
    assertEquals(1, events.subscribers());

    register(3, 3);
    assertEquals(0, events.subscribers());
    assertEquals(0, subscription.backlog());
    runPending();
    assertTrue(sink.overflowed);
    assertTrue(sink.seen.isEmpty());

    register(4, 4);
    assertTrue(pending.isEmpty());
  }

  @Test
  void aWatcherThatKeepsUpIsNeverDropped() {
    RegistryEvents events = events(2);
    PacedSink sink = new PacedSink(Integer.MAX_VALUE);
    events.subscribe(WatchFilter.ALL, false, sink);
    for (int i = 1; i <= 10; i++) {
      register(i, i);
      runPending();
    }
    assertFalse(sink.overflowed);
    assertEquals(10, sink.seen.size());
    assertEquals(1, events.subscribers());
  }

  @Test
  void aCancelledWatcherGetsNothingMoreAndHoldsNothing() {
    RegistryEvents events = events(100);
    PacedSink sink = new PacedSink(0);
    RegistryEvents.Subscription subscription = events.subscribe(WatchFilter.ALL, false, sink);
    register(1, 5);
    subscription.cancel();
    assertEquals(0, subscription.backlog());
    assertEquals(0, events.subscribers());
    sink.credit = 100;
    subscription.resume();
    runPending();
    assertTrue(sink.seen.isEmpty());
  }

  @Test
  void costsNothingWithoutWatchers() {
    RegistryEvents events = events(2);
    register(1, 1);
    assertEquals(0, events.subscribers());
    assertTrue(pending.isEmpty());
  }
}
