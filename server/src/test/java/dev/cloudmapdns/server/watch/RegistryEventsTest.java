package dev.cloudmapdns.server.watch;

import static dev.cloudmapdns.server.testing.RegistryFixture.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.testing.RegistryFixture;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

class RegistryEventsTest {
  private final Queue<Runnable> pending = new ArrayDeque<>();
  private final RegistryFixture fixture = new RegistryFixture();

  private void runPending() {
    for (Runnable task; (task = pending.poll()) != null; ) {
      task.run();
    }
  }

  @Test
  void dropsAWatcherThatFallsTooFarBehindAfterDeliveringWhatItQueued() {
    RegistryEvents events = new RegistryEvents(pending::add, 2, Clock.systemUTC());
    fixture.registry.addListener(events);
    String api = fixture.service("api", tcp(1));
    List<String> seen = new ArrayList<>();
    boolean[] overflowed = {false};
    events.subscribe(
        WatchFilter.ALL,
        false,
        new RegistryEvents.Sink() {
          @Override
          public void change(RegistryChange change) {
            seen.add(change.instanceId());
          }

          @Override
          public void overflowed() {
            overflowed[0] = true;
          }
        });
    for (int i = 1; i <= 4; i++) {
      fixture.register(api, "i" + i, "10.0.0." + i, 80); // data only
    }
    assertEquals(0, events.subscribers());
    runPending();
    assertEquals(List.of("i1", "i2"), seen);
    assertTrue(overflowed[0]);
  }

  @Test
  void costsNothingWithoutWatchers() {
    List<Runnable> tasks = new ArrayList<>();
    RegistryEvents events = new RegistryEvents(tasks::add, 2, Clock.systemUTC());
    fixture.registry.addListener(events);
    String api = fixture.service("api", tcp(1));
    fixture.register(api, "a", "10.0.0.1", 80);
    assertTrue(tasks.isEmpty());
  }
}
