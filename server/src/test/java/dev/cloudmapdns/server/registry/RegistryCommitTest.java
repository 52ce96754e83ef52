package dev.cloudmapdns.server.registry;

import static dev.cloudmapdns.server.testing.InstanceAttributes.attributes;
import static dev.cloudmapdns.server.testing.NamespaceSpecs.privateDns;
import static dev.cloudmapdns.server.testing.ServiceSpecBuilder.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.testing.Await;
import dev.cloudmapdns.server.testing.ServiceSpecBuilder;
import dev.cloudmapdns.server.testing.TestRegistries;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How commands reach the store: in order, grouped while the store is busy, published only once
 * durable, and refused together when the store fails. The store here is held at a gate so each test
 * decides exactly when a commit finishes.
 */
class RegistryCommitTest {
  private final GatedStore store = new GatedStore();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private Registry registry;
  private Service backend;

  @BeforeEach
  void registryWithAService() {
    registry = registryOn(store, RegistryState.empty());
    Namespace namespace = registry.createNamespace(privateDns("app.local"));
    backend =
        registry.createService(
            service("backend-api").records(RecordType.A).in(namespace.id()).build());
    store.forget();
  }

  @AfterEach
  void stopThreads() {
    store.release();
    threads.shutdownNow();
  }

  private static Registry registryOn(RegistryStore store, RegistryState stored) {
    ((GatedStore) store).stored = stored;
    return new Registry(
        new RegistryIdentity(TestRegistries.REGION, TestRegistries.ACCOUNT),
        Clock.fixed(TestRegistries.NOW, ZoneOffset.UTC),
        InitialCheckStatus.UNKNOWN_UNTIL_CHECKED,
        store);
  }

  private Future<Operation> register(String instanceId) {
    return register(instanceId, null);
  }

  private Future<Operation> register(String instanceId, String requestId) {
    return register(instanceId, requestId, new AtomicReference<>());
  }

  private Future<Operation> register(
      String instanceId, String requestId, AtomicReference<Thread> runner) {
    return threads.submit(
        () -> {
          runner.set(Thread.currentThread());
          return registry.registerInstance(
              new Registration(
                  backend.id(), instanceId, attributes().ipv4("127.0.0.1").build(), requestId));
        });
  }

  /** Starts a registration and returns once it has been decided and waits for the committer. */
  private Future<Operation> registerQueued(String instanceId, String requestId) {
    AtomicReference<Thread> runner = new AtomicReference<>();
    Future<Operation> registration = register(instanceId, requestId, runner);
    Await.until(
        () -> registration.isDone() || waitsForTheCommitter(runner.get()),
        () -> "registration of " + instanceId + " did not queue");
    if (registration.isDone()) {
      throw new AssertionError(
          "registration of " + instanceId + " ended early", failureOf(registration));
    }
    return registration;
  }

  private static Throwable failureOf(Future<?> done) {
    try {
      done.get();
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    }
  }

  /** Whether the thread is parked on the registry's commit lock: decided, not yet committed. */
  private static boolean waitsForTheCommitter(Thread thread) {
    if (thread == null || thread.getState() != Thread.State.WAITING) {
      return false;
    }
    for (StackTraceElement frame : thread.getStackTrace()) {
      if (frame.getMethodName().equals("commitThrough")) {
        return true;
      }
    }
    return false;
  }

  private boolean published(String instanceId) {
    return registry.state().services().get(backend.id()).instances().containsKey(instanceId);
  }

  @Test
  void commandsDecidedWhileTheStoreIsBusyShareTheNextCommit() throws Exception {
    List<RegistryState> heard = Collections.synchronizedList(new ArrayList<>());
    registry.addListener(heard::add);
    heard.clear();
    store.hold();
    Future<Operation> first = register("i-1");
    store.awaitCommit();
    List<Future<Operation>> queued = new ArrayList<>();
    for (int i = 2; i <= 5; i++) {
      queued.add(registerQueued("i-" + i, null));
    }

    store.release();
    first.get(10, TimeUnit.SECONDS);
    for (Future<Operation> registration : queued) {
      registration.get(10, TimeUnit.SECONDS);
    }

    assertEquals(2, store.commits.size(), "one commit for i-1, one for the four queued behind it");
    assertEquals(1, store.commits.get(0).size());
    assertEquals(4, store.commits.get(1).size());
    List<Long> versions = new ArrayList<>();
    store.commits.forEach(batch -> batch.forEach(set -> versions.add(set.version())));
    List<Long> sorted = new ArrayList<>(versions);
    Collections.sort(sorted);
    assertEquals(sorted, versions, "change sets reach the store in version order");
    assertEquals(2, heard.size(), "listeners hear each batch once");
    assertEquals(versions.get(versions.size() - 1), heard.get(1).version());
    for (int i = 1; i <= 5; i++) {
      assertTrue(published("i-" + i));
    }
  }

  @Test
  void readersAndListenersSeeAChangeOnlyOnceItIsDurable() throws Exception {
    List<RegistryState> heard = Collections.synchronizedList(new ArrayList<>());
    registry.addListener(heard::add);
    heard.clear();
    store.hold();

    Future<Operation> registration = register("i-1");
    store.awaitCommit();
    assertFalse(published("i-1"), "not durable yet");
    assertTrue(heard.isEmpty(), "listeners are told only after the commit");

    store.release();
    registration.get(10, TimeUnit.SECONDS);
    assertTrue(published("i-1"));
    assertEquals(1, heard.size());
  }

  @Test
  void aFailedCommitRefusesItsBatchAndEverythingDecidedOnTopOfIt() throws Exception {
    store.failNext = new RegistryStoreException("disk full");
    store.hold();
    Future<Operation> failing = register("i-1");
    store.awaitCommit();
    Future<Operation> builtOnIt = registerQueued("i-2", null);
    long before = registry.state().version();

    store.release();

    for (Future<Operation> refused : List.of(failing, builtOnIt)) {
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
      assertInstanceOf(RegistryStoreException.class, e.getCause());
      assertEquals("disk full", e.getCause().getMessage());
    }
    assertEquals(before, registry.state().version(), "nothing was published");
    assertFalse(published("i-1"));
    assertFalse(published("i-2"));

    register("i-1").get(10, TimeUnit.SECONDS);
    assertTrue(published("i-1"), "the registry carries on from the published state");
    ServiceEntry entry = registry.state().services().get(backend.id());
    assertEquals(1, entry.instancesRevision(), "the refused registrations left no trace");
  }

  @Test
  void anErrorFromTheStoreRefusesTheBatchPublishesNothingAndReleasesEveryWaitingCommand()
      throws Exception {
    List<RegistryState> heard = Collections.synchronizedList(new ArrayList<>());
    registry.addListener(heard::add);
    heard.clear();
    LinkageError nativeDriverGone = new LinkageError("native driver gone");
    store.errorNext = nativeDriverGone;
    store.hold();
    Future<Operation> failing = register("i-1");
    store.awaitCommit();
    Future<Operation> builtOnIt = registerQueued("i-2", null);
    RegistryState before = registry.state();

    store.release();

    for (Future<Operation> refused : List.of(failing, builtOnIt)) {
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
      RegistryStoreException failure = assertInstanceOf(RegistryStoreException.class, e.getCause());
      assertSame(nativeDriverGone, failure.getCause());
    }
    assertSame(before, registry.state(), "nothing unstored was published");
    assertTrue(heard.isEmpty(), "no listener heard of the lost batch");

    register("i-3").get(10, TimeUnit.SECONDS);
    ServiceEntry entry = registry.state().services().get(backend.id());
    assertEquals(List.of("i-3"), List.copyOf(entry.instances().keySet()));
    assertEquals(1, entry.instancesRevision(), "the working state went back to the published one");
    List<StateDelta> stored = store.commits.get(store.commits.size() - 1).get(0).changes();
    assertEquals(
        List.of("i-3"),
        stored.stream()
            .filter(change -> change instanceof StateDelta.InstancePut)
            .map(change -> ((StateDelta.InstancePut) change).instance().instance().id())
            .toList(),
        "the next commit carries only its own change");
  }

  @Test
  void aRetryWaitsUntilTheRegistrationItRepeatsIsDurable() throws Exception {
    store.hold();
    Future<Operation> original = register("i-1", "request-1");
    store.awaitCommit();
    Future<Operation> retry = registerQueued("i-1", "request-1");

    assertThrows(TimeoutException.class, () -> retry.get(100, TimeUnit.MILLISECONDS));
    store.release();

    assertEquals(original.get(10, TimeUnit.SECONDS), retry.get(10, TimeUnit.SECONDS));
  }

  @Test
  void healthFoundByChecksIsPublishedButNotStored() {
    Service checked = checkedService();
    registry.registerInstance(checked.id(), "i-1", loopback(), null);
    store.forget();

    assertTrue(registry.updateHealth(checked.id(), "i-1", HealthStatus.HEALTHY));

    assertEquals(
        HealthStatus.HEALTHY,
        registry.state().services().get(checked.id()).instances().get("i-1").health());
    assertTrue(store.commits.isEmpty(), "nothing to store: " + store.commits);
  }

  @Test
  void healthFoundByChecksDoesNotWaitForABatchBeingSynced() throws Exception {
    Service checked = checkedService();
    registry.registerInstance(checked.id(), "c-1", loopback(), null);
    List<RegistryState> heard = Collections.synchronizedList(new ArrayList<>());
    registry.addListener(heard::add);
    heard.clear();
    store.forget();
    store.hold();
    Future<Operation> syncing = register("i-1");
    store.awaitCommit();

    Future<Boolean> health =
        threads.submit(() -> registry.updateHealth(checked.id(), "c-1", HealthStatus.HEALTHY));

    assertTrue(health.get(10, TimeUnit.SECONDS), "answered while the store is still held");
    assertEquals(HealthStatus.HEALTHY, healthOf(checked, "c-1"));
    assertFalse(published("i-1"), "the registration being synced is not published early");
    store.release();
    syncing.get(10, TimeUnit.SECONDS);
    assertTrue(published("i-1"));
    assertEquals(
        HealthStatus.HEALTHY,
        healthOf(checked, "c-1"),
        "publishing the batch decided before the status does not undo it");
    List<Long> versions = heard.stream().map(RegistryState::version).toList();
    assertEquals(2, versions.size());
    assertTrue(versions.get(0) < versions.get(1), "each publication a higher version: " + versions);
  }

  @Test
  void aProbeOfAnEarlierRegistrationNeverReachesTheOneWaitingForItsSync() throws Exception {
    Service checked = checkedService();
    registry.registerInstance(
        checked.id(), "c-1", attributes().ipv4("127.0.0.1").port(8080).build(), null);
    Instance probed =
        registry.state().services().get(checked.id()).instances().get("c-1").instance();
    store.forget();
    store.hold();
    Future<Operation> moved =
        threads.submit(
            () ->
                registry.registerInstance(
                    new Registration(
                        checked.id(),
                        "c-1",
                        attributes().ipv4("127.0.0.2").port(8080).build(),
                        null)));
    store.awaitCommit();

    RegistryException refused =
        assertThrows(
            RegistryException.class,
            () ->
                registry.execute(
                    new RegistryCommand.UpdateHealth(
                        checked.id(), "c-1", HealthStatus.HEALTHY, probed)));

    assertEquals(RegistryError.INSTANCE_NOT_FOUND, refused.error());
    store.release();
    moved.get(10, TimeUnit.SECONDS);
    RegisteredInstance now = registry.state().services().get(checked.id()).instances().get("c-1");
    assertEquals("127.0.0.2", now.instance().attributes().get(Instance.IPV4));
    assertEquals(HealthStatus.UNKNOWN, now.health(), "the old address's result did not decide it");
  }

  private HealthStatus healthOf(Service service, String instanceId) {
    return registry.state().services().get(service.id()).instances().get(instanceId).health();
  }

  @Test
  void customHealthIsStored() {
    Service custom = serviceNamed(service("custom").customHealth());
    registry.registerInstance(custom.id(), "i-1", attributes().ipv4("127.0.0.1").build(), null);
    store.forget();

    registry.updateCustomHealth(custom.id(), "i-1", HealthStatus.UNHEALTHY);

    assertEquals(
        List.of(new StateDelta.HealthSet(custom.id(), "i-1", HealthStatus.UNHEALTHY)),
        store.commits.get(0).get(0).changes());
  }

  @Test
  void aLoadedRegistryRederivesHealthThatChecksFind() {
    Service checked = checkedService();
    Service custom = serviceNamed(service("custom").customHealth());
    for (Service service : List.of(checked, custom, backend)) {
      registry.registerInstance(service.id(), "i-1", loopback(), null);
    }
    registry.updateHealth(checked.id(), "i-1", HealthStatus.HEALTHY);
    registry.updateCustomHealth(custom.id(), "i-1", HealthStatus.UNHEALTHY);
    RegistryState before = registry.state();
    Map<String, ServiceEntry> stored = new LinkedHashMap<>(before.services());
    // What a store could hold for an instance of a service without checks: not HEALTHY.
    stored.put(backend.id(), stored.get(backend.id()).withHealth("i-1", HealthStatus.UNKNOWN));

    Registry restarted = registryOn(new GatedStore(), before.withServices(stored));

    Map<String, ServiceEntry> services = restarted.state().services();
    assertEquals(HealthStatus.UNKNOWN, services.get(checked.id()).instances().get("i-1").health());
    assertEquals(HealthStatus.UNHEALTHY, services.get(custom.id()).instances().get("i-1").health());
    assertEquals(HealthStatus.HEALTHY, services.get(backend.id()).instances().get("i-1").health());
    assertEquals(before.version(), restarted.state().version());
    assertEquals(before.operations(), restarted.state().operations());
  }

  @Test
  void aFailingListenerDoesNotFailDurableCommands() throws Exception {
    registry.addListener(
        state -> {
          if (state.version() > 2) {
            throw new IllegalStateException("listener bug");
          }
        });

    register("i-1").get(10, TimeUnit.SECONDS);
    register("i-2").get(10, TimeUnit.SECONDS);

    assertTrue(published("i-1"));
    assertTrue(published("i-2"));
  }

  @Test
  void anEmptyStoreGivesTheEmptyState() {
    assertSame(RegistryState.empty(), registryOn(new GatedStore(), RegistryState.empty()).state());
  }

  private Service checkedService() {
    return serviceNamed(service("checked").records(RecordType.A).httpHealthCheck());
  }

  private static Map<String, String> loopback() {
    return attributes().ipv4("127.0.0.1").port(8080).build();
  }

  private Service serviceNamed(ServiceSpecBuilder spec) {
    return registry.createService(spec.in(backend.namespaceId()).build());
  }

  /** Records every batch; commits wait while it is held; may fail the next commit. */
  private static final class GatedStore implements RegistryStore {
    final List<List<DeltaSet>> commits = Collections.synchronizedList(new ArrayList<>());
    final Semaphore entered = new Semaphore(0);
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile RuntimeException failNext;
    volatile Error errorNext;
    RegistryState stored = RegistryState.empty();

    /** Forgets the commits so far. */
    void forget() {
      commits.clear();
      entered.drainPermits();
    }

    void hold() {
      gate = new CountDownLatch(1);
    }

    void release() {
      gate.countDown();
    }

    void awaitCommit() throws InterruptedException {
      assertTrue(entered.tryAcquire(10, TimeUnit.SECONDS), "no commit started");
    }

    @Override
    public RegistryState load() {
      return stored;
    }

    @Override
    public void commit(List<DeltaSet> batch) {
      commits.add(List.copyOf(batch));
      entered.release();
      try {
        assertTrue(gate.await(10, TimeUnit.SECONDS), "gate never opened");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryStoreException("interrupted", e);
      }
      RuntimeException failure = failNext;
      if (failure != null) {
        failNext = null;
        throw failure;
      }
      Error error = errorNext;
      if (error != null) {
        errorNext = null;
        throw error;
      }
    }

    @Override
    public String describe() {
      return "gated test store";
    }

    @Override
    public void close() {}
  }
}
