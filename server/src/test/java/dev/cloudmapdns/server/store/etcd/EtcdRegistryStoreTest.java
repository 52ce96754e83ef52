package dev.cloudmapdns.server.store.etcd;

import static dev.cloudmapdns.server.testing.InstanceAttributes.attributes;
import static dev.cloudmapdns.server.testing.ServiceSpecBuilder.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.registry.DeltaSet;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.NamespaceType;
import dev.cloudmapdns.server.registry.RecordType;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.RegistryStoreException;
import dev.cloudmapdns.server.registry.Service;
import dev.cloudmapdns.server.registry.StateDelta;
import dev.cloudmapdns.server.testing.EtcdClusterExtension;
import dev.cloudmapdns.server.testing.NamespaceSpecs;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What etcd adds to the store contract, against one real member: a batch is one transaction that a
 * name or request id already claimed refuses whole (replicas: {@link EtcdReplicationTest}); and
 * nothing acknowledged is lost when etcd itself is killed.
 */
class EtcdRegistryStoreTest {
  private static final AtomicInteger TESTS = new AtomicInteger();
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  private final EtcdReplicas replicas =
      new EtcdReplicas(ETCD, "/store-" + TESTS.incrementAndGet() + "/");

  @AfterEach
  void closeEverything() throws Exception {
    replicas.close();
  }

  private EtcdRegistryStore store() {
    return replicas.store();
  }

  private Registry registry() {
    return replicas.registry();
  }

  private static Namespace namespace(String id, String name) {
    return new Namespace(
        id,
        "arn:aws:servicediscovery:eu-west-1:111122223333:namespace/" + id,
        name,
        NamespaceType.HTTP,
        null,
        Namespace.DEFAULT_SOA_TTL,
        null,
        null,
        CREATED);
  }

  private static DeltaSet put(long version, Namespace namespace) {
    return new DeltaSet(version, List.of(new StateDelta.NamespacePut(namespace)));
  }

  private static Set<String> namespaceNames(RegistryState state) {
    return state.namespaces().values().stream().map(Namespace::name).collect(Collectors.toSet());
  }

  @Test
  void aCommandLargerThanMaxTxnOpsIsRefusedSayingSoAndGroupCommitsStayWithinIt() throws Exception {
    Registry registry = replicas.registryOn(replicas.store(settings -> settings.withMaxTxnOps(32)));
    Namespace namespace = registry.createNamespace(NamespaceSpecs.privateDns("app.local"));
    Service backend =
        registry.createService(service("backend").in(namespace.id()).records(RecordType.A).build());

    RegistryStoreException refused =
        assertThrows(
            RegistryStoreException.class,
            () ->
                registry.executeEach(
                    java.util.stream.IntStream.range(0, 20)
                        .mapToObj(
                            i ->
                                (dev.cloudmapdns.server.registry.RegistryCommand<?>)
                                    new dev.cloudmapdns.server.registry.RegistryCommand
                                        .RegisterInstance(
                                        new dev.cloudmapdns.server.registry.Registration(
                                            backend.id(),
                                            "big-" + i,
                                            attributes().ipv4("127.0.0.1").build(),
                                            null)))
                        .toList()));
    assertTrue(refused.getMessage().contains("--max-txn-ops"), refused.getMessage());
    assertEquals(0, registry.state().services().get(backend.id()).instances().size());

    List<java.util.concurrent.CompletableFuture<?>> concurrent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String id = "i-" + i;
      concurrent.add(
          java.util.concurrent.CompletableFuture.runAsync(
              () ->
                  registry.registerInstance(
                      backend.id(), id, attributes().ipv4("127.0.0.1").build(), null)));
    }
    for (java.util.concurrent.CompletableFuture<?> registration : concurrent) {
      registration.get(60, java.util.concurrent.TimeUnit.SECONDS); // grouped, never too large
    }
    assertEquals(40, store().load().services().get(backend.id()).instances().size());
  }

  @Test
  void aNameAnotherWriterClaimedIsRefusedByCompareAndSwap() {
    EtcdRegistryStore first = store();
    first.load();
    first.commit(List.of(put(1, namespace("ns-1", "same.example"))));
    EtcdRegistryStore second = store();
    second.load(); // up to date, so only the name guards the write

    RegistryStoreException refused =
        assertThrows(
            RegistryStoreException.class,
            () -> second.commit(List.of(put(2, namespace("ns-2", "Same.Example.")))));

    assertTrue(refused.getMessage().contains("already exists"), refused.getMessage());
    assertEquals(Set.of("ns-1"), store().load().namespaces().keySet());
  }

  @Test
  void aBatchIsOneTransactionAllOrNothing() {
    EtcdRegistryStore first = store();
    first.load();
    first.commit(List.of(put(1, namespace("ns-1", "taken.example"))));
    EtcdRegistryStore second = store();
    second.load();

    assertThrows(
        RegistryStoreException.class,
        () ->
            second.commit(
                List.of(
                    put(2, namespace("ns-2", "fine.example")),
                    put(3, namespace("ns-3", "taken.example")))));

    RegistryState stored = store().load();
    assertEquals(Set.of("ns-1"), stored.namespaces().keySet());
    assertEquals(1, stored.version());
  }

  @Test
  void theNextCommitAfterARefusedOneStillSucceeds() {
    EtcdRegistryStore store = store();
    store.load();
    store.commit(List.of(put(1, namespace("ns-1", "taken.example"))));
    assertThrows(
        RegistryStoreException.class,
        () -> store.commit(List.of(put(2, namespace("ns-2", "taken.example")))));

    store.commit(List.of(put(2, namespace("ns-3", "other.example"))));

    assertEquals(Set.of("ns-1", "ns-3"), store().load().namespaces().keySet());
  }

  @Test
  void aNameIsFreeAgainOnceItsNamespaceIsDeleted() {
    Registry registry = registry();
    Namespace namespace = registry.createNamespace(NamespaceSpecs.http("again.example"));
    registry.deleteNamespace(namespace.id());

    Namespace again = registry.createNamespace(NamespaceSpecs.http("again.example"));

    assertEquals(Set.of(again.id()), store().load().namespaces().keySet());
  }

  @Test
  void nothingAcknowledgedIsLostWhenEtcdIsKilledAndRestarted() throws IOException {
    Registry registry = registry();
    Namespace namespace = registry.createNamespace(NamespaceSpecs.privateDns("app.local"));
    Service backend =
        registry.createService(service("backend").in(namespace.id()).records(RecordType.A).build());
    for (int i = 0; i < 20; i++) {
      registry.registerInstance(
          backend.id(), "i-" + i, attributes().ipv4("10.0.0." + (i + 1)).build(), null);
    }
    RegistryState acknowledged = registry.state();

    ETCD.cluster().restart(0); // kill -9, then start on the same data

    RegistryState reloaded = store().load();
    assertEquals(acknowledged.version(), reloaded.version());
    assertEquals(acknowledged.services(), reloaded.services());
    assertEquals(acknowledged.operations(), reloaded.operations());
  }
}
