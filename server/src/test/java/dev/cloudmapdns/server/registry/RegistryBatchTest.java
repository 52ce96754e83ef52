package dev.cloudmapdns.server.registry;

import static dev.cloudmapdns.server.testing.InstanceAttributes.attributes;
import static dev.cloudmapdns.server.testing.NamespaceSpecs.privateDns;
import static dev.cloudmapdns.server.testing.ServiceSpecBuilder.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.registry.RegistryCommand.CreateNamespace;
import dev.cloudmapdns.server.registry.RegistryCommand.CreateService;
import dev.cloudmapdns.server.registry.RegistryCommand.DeregisterInstance;
import dev.cloudmapdns.server.registry.RegistryCommand.RegisterInstance;
import dev.cloudmapdns.server.registry.RegistryCommand.UpdateHealth;
import dev.cloudmapdns.server.testing.TestRegistries;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many commands at once: decided in order against the state the ones before made, committed as one
 * store batch, published once; {@code executeEach} refuses only the failing command, {@code
 * executeAll} refuses everything.
 */
class RegistryBatchTest {
  private final RecordingStore store = new RecordingStore();
  private final List<RegistryState> heard = new ArrayList<>();
  private Registry registry;
  private Service backend;

  @BeforeEach
  void registryWithAService() {
    registry =
        new Registry(
            new RegistryIdentity(TestRegistries.REGION, TestRegistries.ACCOUNT),
            Clock.fixed(TestRegistries.NOW, ZoneOffset.UTC),
            InitialCheckStatus.UNKNOWN_UNTIL_CHECKED,
            store);
    Namespace namespace = registry.createNamespace(privateDns("app.local"));
    backend =
        registry.createService(
            service("backend-api").records(RecordType.A).in(namespace.id()).build());
    registry.addListener(heard::add);
    heard.clear();
    store.commits.clear();
  }

  private RegisterInstance registration(String instanceId, String ipv4) {
    return new RegisterInstance(
        new Registration(backend.id(), instanceId, attributes().ipv4(ipv4).build(), null));
  }

  private ServiceEntry published() {
    return registry.state().services().get(backend.id());
  }

  @Test
  void eachCommandOfABatchGetsItsOwnOutcomeAndARefusalRefusesOnlyItself() {
    long before = registry.state().version();

    List<CommandOutcome<?>> outcomes =
        registry.executeEach(
            List.of(
                registration("i-1", "127.0.0.1"),
                registration("i-2", "not-an-address"),
                registration("i-3", "127.0.0.3")));

    assertInstanceOf(CommandOutcome.Accepted.class, outcomes.get(0));
    CommandOutcome.Refused<?> refused =
        assertInstanceOf(CommandOutcome.Refused.class, outcomes.get(1));
    assertEquals(RegistryError.INVALID_INPUT, refused.failure().error());
    assertInstanceOf(CommandOutcome.Accepted.class, outcomes.get(2));
    Operation third = (Operation) outcomes.get(2).value();
    assertEquals("i-3", third.target(OperationTarget.INSTANCE));
    assertEquals(List.of("i-1", "i-3"), List.copyOf(published().instances().keySet()));
    assertEquals(1, store.commits.size(), "one store batch");
    assertEquals(1, store.commits.get(0).size(), "one change set: " + store.commits);
    assertEquals(1, heard.size(), "published once");
    assertEquals(before + 1, registry.state().version(), "one new version for the whole batch");
  }

  @Test
  void eachCommandIsDecidedAgainstTheStateTheOnesBeforeItMade() {
    List<CommandOutcome<?>> outcomes =
        registry.executeEach(
            List.of(
                registration("i-1", "127.0.0.1"),
                new DeregisterInstance(backend.id(), "i-1"),
                new DeregisterInstance(backend.id(), "i-1")));

    assertInstanceOf(CommandOutcome.Accepted.class, outcomes.get(1));
    CommandOutcome.Refused<?> again =
        assertInstanceOf(CommandOutcome.Refused.class, outcomes.get(2));
    assertEquals(RegistryError.INSTANCE_NOT_FOUND, again.failure().error());
    assertTrue(published().instances().isEmpty());
    assertEquals(2, published().instancesRevision(), "a registration and a deregistration");
  }

  @Test
  void aBatchThatChangesNothingIsNeitherStoredNorPublished() {
    long before = registry.state().version();

    List<CommandOutcome<?>> outcomes =
        registry.executeEach(List.of(new DeregisterInstance(backend.id(), "i-404")));

    assertInstanceOf(CommandOutcome.Refused.class, outcomes.get(0));
    assertTrue(store.commits.isEmpty());
    assertTrue(heard.isEmpty());
    assertEquals(before, registry.state().version());
  }

  @Test
  void allOrNothingAppliesDependentCommandsAsOneCommit() {
    int instances =
        registry.executeAll(
            scope -> {
              Operation created =
                  scope.execute(
                      new CreateNamespace(privateDns("seeded.local"), Map.of(), "eu-west-1"));
              String namespaceId = created.target(OperationTarget.NAMESPACE);
              Service web =
                  scope.execute(
                      new CreateService(
                          service("web").records(RecordType.A).in(namespaceId).build(), Map.of()));
              for (int i = 1; i <= 3; i++) {
                scope.execute(
                    new RegisterInstance(
                        new Registration(
                            web.id(),
                            "web-" + i,
                            attributes().ipv4("127.0.0." + i).build(),
                            null)));
              }
              return scope.state().services().get(web.id()).instances().size();
            });

    assertEquals(3, instances);
    Namespace seeded = registry.state().namespaceNamed("seeded.local").orElseThrow();
    ServiceEntry web = registry.state().serviceNamed(seeded.id(), "web").orElseThrow();
    assertEquals(3, web.instances().size());
    assertEquals(1, store.commits.size());
    assertEquals(1, store.commits.get(0).size(), "one change set, one transaction");
    assertEquals(1, heard.size());
  }

  @Test
  void allOrNothingStoresNothingWhenAnyCommandIsRefused() {
    RegistryState before = registry.state();

    RegistryException refused =
        assertThrows(
            RegistryException.class,
            () ->
                registry.executeAll(
                    scope ->
                        List.of(
                                registration("i-1", "127.0.0.1"),
                                registration("i-2", "127.0.0.2"),
                                registration("i-3", "not-an-address"))
                            .stream()
                            .map(scope::execute)
                            .toList()));

    assertEquals(RegistryError.INVALID_INPUT, refused.error());
    assertSame(before, registry.state(), "nothing published");
    assertTrue(store.commits.isEmpty(), "nothing stored");
    assertTrue(heard.isEmpty());
    registry.execute(registration("i-1", "127.0.0.1"));
    assertEquals(1, published().instancesRevision(), "the refused batch left no trace");
  }

  @Test
  void allOrNothingStoresNothingWhenTheBodyFailsForAnyReason() {
    RegistryState before = registry.state();

    assertThrows(
        IllegalStateException.class,
        () ->
            registry.executeAll(
                scope -> {
                  scope.execute(registration("i-1", "127.0.0.1"));
                  throw new IllegalStateException("the caller changed its mind");
                }));

    assertSame(before, registry.state());
    assertTrue(store.commits.isEmpty());
  }

  @Test
  void aStoreFailureRefusesTheWholeBatch() {
    store.failNext = true;
    RegistryState before = registry.state();

    assertThrows(
        RegistryStoreException.class,
        () ->
            registry.executeEach(
                List.of(registration("i-1", "127.0.0.1"), registration("i-2", "127.0.0.2"))));

    assertSame(before, registry.state());
    assertTrue(heard.isEmpty());
  }

  @Test
  void healthFromChecksInABatchIsPublishedButOnlyTheDurableChangesAreStored() {
    Service checked =
        registry.createService(
            service("checked")
                .records(RecordType.A)
                .httpHealthCheck()
                .in(backend.namespaceId())
                .build());
    registry.registerInstance(
        checked.id(), "c-1", attributes().ipv4("127.0.0.1").port(8080).build(), null);
    store.commits.clear();

    registry.executeEach(
        List.of(
            new UpdateHealth(checked.id(), "c-1", HealthStatus.HEALTHY, null),
            registration("i-1", "127.0.0.1")));

    assertEquals(
        HealthStatus.HEALTHY,
        registry.state().services().get(checked.id()).instances().get("c-1").health());
    List<StateDelta> stored = store.commits.get(0).get(0).changes();
    assertTrue(
        stored.stream().noneMatch(change -> change instanceof StateDelta.HealthSet),
        "stored: " + stored);
  }

  @Test
  void aDecidedBatchChangesNothingUntilCommittedAndIsThenAppliedAsDecided() {
    RegistryState before = registry.state();

    Registry.DecidedBatch<List<Operation>> decided =
        registry.decideAll(
            scope ->
                List.of(registration("i-1", "127.0.0.1"), registration("i-2", "127.0.0.2")).stream()
                    .map(scope::execute)
                    .toList());

    assertSame(before, registry.state(), "a dry run publishes nothing");
    assertTrue(store.commits.isEmpty(), "and stores nothing");
    assertTrue(heard.isEmpty());
    assertEquals(2, decided.state().services().get(backend.id()).instances().size());

    List<Operation> operations = registry.commit(decided);

    assertSame(decided.answer(), operations, "the answer of the dry run, not a second decision");
    assertEquals(List.of("i-1", "i-2"), List.copyOf(published().instances().keySet()));
    assertSame(
        decided.state().services().get(backend.id()).instances().get("i-1"),
        published().instances().get("i-1"),
        "the very state the dry run decided");
    assertEquals(1, store.commits.size());
    assertEquals(1, store.commits.get(0).size(), "one change set, one transaction");
    assertEquals(1, heard.size());
    assertEquals(before.version() + 1, registry.state().version());
  }

  @Test
  void aRefusedDryRunLeavesNothing() {
    RegistryState before = registry.state();

    RegistryException refused =
        assertThrows(
            RegistryException.class,
            () ->
                registry.decideAll(
                    scope -> {
                      scope.execute(registration("i-1", "127.0.0.1"));
                      return scope.execute(registration("i-2", "not-an-address"));
                    }));

    assertEquals(RegistryError.INVALID_INPUT, refused.error());
    assertSame(before, registry.state());
    assertTrue(store.commits.isEmpty());
    assertTrue(heard.isEmpty());
  }

  @Test
  void aDecidedBatchIsDecidedAgainWhenTheRegistryChangedSinceTheDryRun() {
    Registry.DecidedBatch<Operation> decided =
        registry.decideAll(scope -> scope.execute(registration("i-2", "127.0.0.2")));
    registry.execute(registration("i-1", "127.0.0.1"));

    Operation registered = registry.commit(decided);

    assertEquals("i-2", registered.target(OperationTarget.INSTANCE));
    assertEquals(List.of("i-1", "i-2"), List.copyOf(published().instances().keySet()));
    assertEquals(2, published().instancesRevision(), "decided on top of the registration between");
  }

  @Test
  void aDecidedBatchThatNoLongerFitsTheRegistryIsRefusedWhole() {
    registry.execute(registration("i-0", "127.0.0.9"));
    Registry.DecidedBatch<Operation> decided =
        registry.decideAll(
            scope -> {
              scope.execute(registration("i-1", "127.0.0.1"));
              return scope.execute(new DeregisterInstance(backend.id(), "i-0"));
            });
    registry.execute(new DeregisterInstance(backend.id(), "i-0"));
    RegistryState before = registry.state();
    store.commits.clear();

    RegistryException refused =
        assertThrows(RegistryException.class, () -> registry.commit(decided));

    assertEquals(RegistryError.INSTANCE_NOT_FOUND, refused.error());
    assertSame(before, registry.state(), "nothing of the batch, not even i-1");
    assertTrue(store.commits.isEmpty());
  }

  /** Records every batch; may fail the next commit. */
  private static final class RecordingStore implements RegistryStore {
    final List<List<DeltaSet>> commits = new ArrayList<>();
    boolean failNext;

    @Override
    public RegistryState load() {
      return RegistryState.empty();
    }

    @Override
    public void commit(List<DeltaSet> batch) {
      if (failNext) {
        failNext = false;
        throw new RegistryStoreException("disk full");
      }
      commits.add(List.copyOf(batch));
    }

    @Override
    public String describe() {
      return "recording test store";
    }

    @Override
    public void close() {}
  }
}
