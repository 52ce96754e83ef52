package dev.cloudmapdns.server.health;

import static dev.cloudmapdns.server.testing.RegistryFixture.http;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.registry.HealthCheckType;
import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.InitialCheckStatus;
import dev.cloudmapdns.server.registry.Registration;
import dev.cloudmapdns.server.registry.RegistryCommand;
import dev.cloudmapdns.server.registry.ServicePatch;
import dev.cloudmapdns.server.testing.Await;
import dev.cloudmapdns.server.testing.RegistryFixture;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The workers against a real registry and a prober whose probes the test answers by hand. No
 * traffic is sent; the addresses are loopback all the same.
 */
class HealthWorkersTest {
  private static final Duration TAKE = Duration.ofSeconds(10);

  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
  private final HeldProber prober = new HeldProber();
  private final HealthMetrics metrics = new HealthMetrics();
  private final List<HealthTransition> transitions = new CopyOnWriteArrayList<>();
  private RegistryFixture fixture = new RegistryFixture();

  @AfterEach
  void stopLoop() throws InterruptedException {
    loop.shutdownNow();
    assertTrue(loop.awaitTermination(10, TimeUnit.SECONDS));
  }

  private void startWorkers(int maxConcurrent, Executor publisher) {
    startWorkers(maxConcurrent, publisher, Duration.ofMillis(10));
  }

  private void startWorkers(int maxConcurrent, Executor publisher, Duration interval) {
    HealthWorkers workers =
        new HealthWorkers(
            fixture.registry,
            prober,
            loop,
            publisher,
            new HealthSettings(interval, Duration.ofSeconds(1), Duration.ZERO, maxConcurrent),
            metrics,
            transitions::add,
            Clock.systemUTC(),
            CheckOwnership.EVERY_INSTANCE);
    fixture.registry.addListener(workers);
  }

  private void startWorkers() {
    // A direct publisher: a result is in the registry before the next probe is asked for.
    startWorkers(64, Runnable::run);
  }

  @Test
  void checksANewInstanceAtOnceAndAnswersItAfterTheFirstPass() throws Exception {
    startWorkers();
    String service = fixture.service("api", http("/health", 3));
    fixture.register(service, "a", "127.0.0.1", 8080);
    assertEquals(HealthStatus.UNKNOWN, fixture.health(service, "a"));

    Held probe = prober.take();
    assertEquals(
        new CheckTarget(HealthCheckType.HTTP, "127.0.0.1", 8080, "/health", 3), probe.target);
    probe.pass();

    Await.until(() -> fixture.health(service, "a") == HealthStatus.HEALTHY, () -> "healthy");
    HealthTransition transition = transitions.get(0);
    assertEquals(HealthStatus.UNKNOWN, transition.from());
    assertEquals(HealthStatus.HEALTHY, transition.to());
    assertEquals(1, metrics.snapshot().transitionsToHealthy());
  }

  @Test
  void aFirstFailureMarksTheInstanceUnhealthyAtOnce() throws Exception {
    startWorkers();
    String service = fixture.service("api", http("/health", 3));
    fixture.register(service, "a", "127.0.0.1", 8080);
    prober.take().fail();
    Await.until(() -> fixture.health(service, "a") == HealthStatus.UNHEALTHY, () -> "unhealthy");
  }

  @Test
  void flipsAfterThresholdConsecutiveResultsBothWays() throws Exception {
    startWorkers();
    String service = fixture.service("api", http("/health", 2));
    fixture.register(service, "a", "127.0.0.1", 8080);
    prober.take().pass();
    prober.take().fail();
    prober.take().pass(); // a flap shorter than the threshold
    prober.take().fail();
    Held fourth = prober.take();
    assertEquals(HealthStatus.HEALTHY, fixture.health(service, "a"));
    fourth.fail();
    Held fifth = prober.take();
    assertEquals(HealthStatus.UNHEALTHY, fixture.health(service, "a"));
    fifth.pass();
    Held sixth = prober.take();
    assertEquals(HealthStatus.UNHEALTHY, fixture.health(service, "a"));
    sixth.pass();
    prober.take();
    assertEquals(HealthStatus.HEALTHY, fixture.health(service, "a"));
    assertEquals(
        List.of(HealthStatus.HEALTHY, HealthStatus.UNHEALTHY, HealthStatus.HEALTHY),
        transitions.stream().map(HealthTransition::to).toList());
  }

  @Test
  void startsFromHealthyAndNeedsTheThresholdToFailInRoute53Mode() throws Exception {
    fixture = new RegistryFixture(InitialCheckStatus.HEALTHY_UNTIL_FAILED);
    startWorkers();
    String service = fixture.service("api", http("/health", 2));
    fixture.register(service, "a", "127.0.0.1", 8080);
    assertEquals(HealthStatus.HEALTHY, fixture.health(service, "a"));
    prober.take().fail();
    prober.take().fail();
    Await.until(() -> fixture.health(service, "a") == HealthStatus.UNHEALTHY, () -> "unhealthy");
  }

  @Test
  void stopsCheckingADeregisteredInstance() throws Exception {
    startWorkers();
    String service = fixture.service("api", http("/health", 1));
    fixture.register(service, "a", "127.0.0.1", 8080);
    prober.take().pass();
    fixture.registry.deregisterInstance(service, "a");
    Await.until(() -> metrics.snapshot().activeChecks() == 0, () -> "no active checks");
    fixture.register(service, "b", "127.0.0.2", 8080);
    // Probes of "a" may still have been in flight; after that, only "b" is checked.
    int forB = 0;
    for (int i = 0; i < 8; i++) {
      Held probe = prober.take();
      if (probe.target.address().equals("127.0.0.2")) {
        forB++;
      } else {
        assertTrue(forB == 0, "a probe of the deregistered instance after one of b: " + probe);
      }
      probe.pass();
    }
    assertTrue(forB >= 7, "b checked");
  }

  @Test
  void dropsTheResultOfACheckThatWasRunningWhenItsInstanceLeft() throws Exception {
    startWorkers();
    String service = fixture.service("api", http("/health", 1));
    fixture.register(service, "a", "127.0.0.1", 8080);
    Held old = prober.take();
    fixture.registry.deregisterInstance(service, "a");
    fixture.register(service, "a", "127.0.0.2", 8080);
    Held fresh = prober.take();
    assertEquals("127.0.0.2", fresh.target.address());

    old.pass(); // must not make the new registration healthy
    fresh.fail();

    Await.until(() -> fixture.health(service, "a") == HealthStatus.UNHEALTHY, () -> "unhealthy");
    // The transition is reported after the registry took it: wait for the report as well.
    Await.until(() -> !transitions.isEmpty(), () -> "a transition reported");
    assertEquals(
        List.of(HealthStatus.UNHEALTHY), transitions.stream().map(HealthTransition::to).toList());
  }

  @Test
  void ignoresAPushThatLosesTheRaceWithDeregistration() throws Exception {
    BlockingQueue<Runnable> pushes = new LinkedBlockingQueue<>();
    startWorkers(64, pushes::add);
    String service = fixture.service("api", http("/health", 1));
    fixture.register(service, "a", "127.0.0.1", 8080);
    prober.take().pass();
    Runnable push = pushes.poll(TAKE.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(push);
    fixture.registry.deregisterInstance(service, "a");
    push.run(); // INSTANCE_NOT_FOUND inside: swallowed
    assertTrue(transitions.isEmpty());
    assertNull(fixture.health(service, "a"));
  }

  @Test
  void neverAppliesAnOldResultToANewRegistrationOfTheSameId() throws Exception {
    BlockingQueue<Runnable> pushes = new LinkedBlockingQueue<>();
    // A long interval: the only probes are the first check of each registration.
    startWorkers(64, pushes::add, Duration.ofHours(1));
    String service = fixture.service("api", http("/health", 3));
    fixture.register(service, "a", "127.0.0.1", 8080);
    prober.take().pass();
    Runnable push = pushes.poll(TAKE.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(push);
    fixture.registry.deregisterInstance(service, "a");
    fixture.register(service, "a", "127.0.0.1", 8080); // same id, same place, new registration
    push.run();
    assertEquals(HealthStatus.UNKNOWN, fixture.health(service, "a"));
    assertTrue(transitions.isEmpty());
    // Its own check decides, at once.
    Held fresh = prober.take();
    fresh.fail();
    Runnable own = pushes.poll(TAKE.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(own);
    own.run();
    assertEquals(HealthStatus.UNHEALTHY, fixture.health(service, "a"));
  }

  @Test
  void pushesTransitionsFoundTogetherAsOneRegistryBatch() throws Exception {
    BlockingQueue<Runnable> pushes = new LinkedBlockingQueue<>();
    startWorkers(1_000, pushes::add, Duration.ofHours(1));
    String service = fixture.service("api", http("/health", 1));
    int targets = 300;
    fixture.registry.executeEach(
        java.util.stream.IntStream.rangeClosed(1, targets)
            .mapToObj(
                i ->
                    new RegistryCommand.RegisterInstance(
                        new Registration(
                            service,
                            "i-" + i,
                            Map.of(
                                "AWS_INSTANCE_IPV4",
                                "127.0." + (i / 250) + "." + (1 + i % 250),
                                "AWS_INSTANCE_PORT",
                                "8080"),
                            null)))
            .toList());
    for (int i = 0; i < targets; i++) {
      prober.take().fail(); // the whole fleet fails at once
    }
    Await.until(() -> metrics.snapshot().probesFailed() == targets, () -> "every result in");
    loop.submit(() -> {}).get(10, TimeUnit.SECONDS); // every result handled on the loop
    List<Long> publications = new CopyOnWriteArrayList<>();
    fixture.registry.addListener(state -> publications.add(state.version()));
    publications.clear();

    Runnable push = pushes.poll(TAKE.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(push);
    assertNull(pushes.poll(), "one push task for all of them");
    push.run();

    assertEquals(1, publications.size(), "one registry publication for " + targets + " statuses");
    for (int i = 1; i <= targets; i++) {
      assertEquals(HealthStatus.UNHEALTHY, fixture.health(service, "i-" + i));
    }
    assertEquals(targets, transitions.size());
    assertEquals(targets, metrics.snapshot().transitionsToUnhealthy());
  }

  @Test
  void restartsTheCheckWhenTheInstanceMoves() throws Exception {
    startWorkers();
    String service = fixture.service("api", http("/health", 1));
    fixture.register(service, "a", "127.0.0.1", 8080);
    prober.take().pass();
    Await.until(() -> fixture.health(service, "a") == HealthStatus.HEALTHY, () -> "healthy");
    fixture.register(service, "a", "127.0.0.1", 9090);
    for (int i = 0; i < 5; i++) {
      Held probe = prober.take();
      if (probe.target.port() == 9090) {
        return;
      }
      probe.pass();
    }
    throw new AssertionError("the new port was not checked");
  }

  @Test
  void restartsEveryCheckOfAServiceWhoseCheckChanges() throws Exception {
    startWorkers();
    String service = fixture.service("api", http("/health", 3));
    fixture.register(service, "a", "127.0.0.1", 8080);
    prober.take().pass();
    Await.until(() -> fixture.health(service, "a") == HealthStatus.HEALTHY, () -> "healthy");
    fixture.registry.updateService(service, new ServicePatch(null, null, http("/ready", 1)));
    for (int i = 0; i < 5; i++) {
      Held probe = prober.take();
      if (probe.target.path().equals("/ready")) {
        assertEquals(1, probe.target.threshold());
        probe.fail(); // the registry reset it to UNKNOWN: the first result decides
        Await.until(
            () -> fixture.health(service, "a") == HealthStatus.UNHEALTHY, () -> "unhealthy");
        return;
      }
      probe.pass();
    }
    throw new AssertionError("the new check was not run");
  }

  @Test
  void stopsCheckingWhenTheServiceDropsItsCheck() throws Exception {
    startWorkers();
    String service = fixture.service("api", http("/health", 1));
    fixture.register(service, "a", "127.0.0.1", 8080);
    prober.take().fail();
    Await.until(() -> fixture.health(service, "a") == HealthStatus.UNHEALTHY, () -> "unhealthy");
    fixture.registry.updateService(service, new ServicePatch(null, null, null));
    Await.until(() -> metrics.snapshot().activeChecks() == 0, () -> "no active checks");
    assertEquals(HealthStatus.HEALTHY, fixture.health(service, "a"));
  }

  @Test
  void neverProbesInstancesOfServicesWithoutActiveChecks() throws Exception {
    startWorkers();
    String unchecked = fixture.service("web", null);
    fixture.register(unchecked, "w", "127.0.0.2", 80); // never probed: its service has no check
    String checked = fixture.service("api", http("/", 1));
    fixture.register(checked, "a", "127.0.0.1", 8080);
    Await.until(() -> metrics.snapshot().activeChecks() == 1, () -> "one active check");
    assertEquals("127.0.0.1", prober.take().target.address());
    assertEquals(HealthStatus.HEALTHY, fixture.health(unchecked, "w"));
  }

  @Test
  void stopsEveryCheckOfADeletedService() throws Exception {
    startWorkers();
    String service = fixture.service("api", http("/", 1));
    fixture.register(service, "a", "127.0.0.1", 8080);
    prober.take().pass();
    fixture.registry.deregisterInstance(service, "a");
    fixture.registry.deleteService(service);
    Await.until(() -> metrics.snapshot().activeChecks() == 0, () -> "no active checks");
  }

  @Test
  void keepsNoMoreProbesInFlightThanTheLimit() throws Exception {
    startWorkers(2, Runnable::run);
    String service = fixture.service("api", http("/", 1));
    for (int i = 1; i <= 5; i++) {
      fixture.register(service, "i" + i, "127.0.0." + i, 8080);
    }
    Await.until(() -> metrics.snapshot().activeChecks() == 5, () -> "five active checks");
    Held first = prober.take();
    Held second = prober.take();
    assertEquals(2, prober.asked());
    assertEquals(2, metrics.snapshot().probesInFlight());
    first.pass();
    Held third = prober.take();
    assertEquals("127.0.0.3", third.target.address());
    second.pass();
    third.pass();
    Await.until(() -> prober.asked() >= 5, () -> "every instance probed");
  }

  /** A probe the test answers. */
  private record Held(CheckTarget target, Consumer<ProbeResult> done) {
    void pass() {
      done.accept(new ProbeResult(true, "http 200"));
    }

    void fail() {
      done.accept(new ProbeResult(false, "http 503"));
    }
  }

  /** Hands every probe to the test instead of sending it. */
  private static final class HeldProber implements Prober {
    private final BlockingQueue<Held> probes = new LinkedBlockingQueue<>();
    private volatile int asked;

    @Override
    public void probe(CheckTarget target, Consumer<ProbeResult> done) {
      asked++;
      probes.add(new Held(target, done));
    }

    Held take() throws InterruptedException {
      Held probe = probes.poll(TAKE.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(probe, "no probe was asked for");
      return probe;
    }

    int asked() {
      return asked;
    }
  }
}
