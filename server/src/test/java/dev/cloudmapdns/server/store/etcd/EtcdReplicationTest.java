package dev.cloudmapdns.server.store.etcd;

import static dev.cloudmapdns.server.testing.InstanceAttributes.attributes;
import static dev.cloudmapdns.server.testing.ServiceSpecBuilder.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.registry.CommandOutcome;
import dev.cloudmapdns.server.registry.DeltaSet;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.Operation;
import dev.cloudmapdns.server.registry.RecordType;
import dev.cloudmapdns.server.registry.Registration;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryCommand;
import dev.cloudmapdns.server.registry.RegistryError;
import dev.cloudmapdns.server.registry.RegistryException;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.RegistryStore;
import dev.cloudmapdns.server.registry.Service;
import dev.cloudmapdns.server.registry.StoreFeed;
import dev.cloudmapdns.server.testing.Await;
import dev.cloudmapdns.server.testing.EtcdCluster;
import dev.cloudmapdns.server.testing.EtcdClusterExtension;
import dev.cloudmapdns.server.testing.NamespaceSpecs;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several registries on one etcd, as several replicas would be: each applies what the others
 * commit, a command that lost the race to another replica is decided again against the fresh state
 * (answering as on one server, never with a store failure), and a replica whose watch start was
 * compacted away reads everything again as one publication.
 */
class EtcdReplicationTest {
  private static final AtomicInteger TESTS = new AtomicInteger();

  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  private final EtcdReplicas replicas =
      new EtcdReplicas(ETCD, "/replication-" + TESTS.incrementAndGet() + "/");

  @AfterEach
  void closeEverything() throws Exception {
    replicas.close();
  }

  private EtcdRegistryStore store() {
    return replicas.store(settings -> settings.withMaxTxnOps(EtcdCluster.MAX_TXN_OPS));
  }

  private Registry replica() {
    return replicaOn(store());
  }

  private Registry replicaOn(RegistryStore store) {
    return replicas.registryOn(store);
  }

  private static void awaitSame(Registry expected, Registry replica) {
    Await.until(
        () -> sameContent(expected.state(), replica.state()),
        () ->
            "replica did not catch up: "
                + replica.state().services()
                + " vs "
                + expected.state().services());
  }

  private static boolean sameContent(RegistryState a, RegistryState b) {
    return a.namespaces().equals(b.namespaces())
        && a.services().equals(b.services())
        && a.operations().equals(b.operations());
  }

  private static Service backendIn(Registry registry) {
    Namespace namespace = registry.createNamespace(NamespaceSpecs.privateDns("app.local"));
    return registry.createService(
        service("backend").in(namespace.id()).records(RecordType.A).build());
  }

  @Test
  void aReplicaAnswersWhatAnotherReplicaRegistered() {
    Registry a = replica();
    Registry c = replica();
    Service backend = backendIn(a);
    a.tagResource(backend.arn(), Map.of("team", "payments"));
    a.registerInstance(backend.id(), "i-1", attributes().ipv4("127.0.0.11").build(), "req-1");

    awaitSame(a, c);

    assertEquals(1, c.state().services().get(backend.id()).instancesRevision());
    assertEquals(Map.of("team", "payments"), c.state().tags(backend.id()));
    assertEquals(
        "127.0.0.11",
        c.state()
            .services()
            .get(backend.id())
            .instances()
            .get("i-1")
            .instance()
            .attributes()
            .get("AWS_INSTANCE_IPV4"));
  }

  @Test
  void deregistrationsAndDeletionsReachEveryReplica() {
    Registry a = replica();
    Registry c = replica();
    Service backend = backendIn(a);
    a.registerInstance(backend.id(), "i-1", attributes().ipv4("127.0.0.11").build(), null);
    awaitSame(a, c);

    a.deregisterInstance(backend.id(), "i-1");
    a.deleteService(backend.id());
    a.deleteNamespace(backend.namespaceId());

    awaitSame(a, c);
    assertEquals(Map.of(), c.state().services());
    assertEquals(Map.of(), c.state().namespaces());
  }

  @Test
  void writesThroughEveryReplicaInterleaveWithOneInstancesRevision() {
    Registry a = replica();
    Registry b = replica();
    Service backend = backendIn(a);
    awaitSame(a, b);

    for (int i = 0; i < 10; i++) {
      Registry through = i % 2 == 0 ? a : b;
      through.registerInstance(
          backend.id(), "i-" + i, attributes().ipv4("127.0.0." + (i + 1)).build(), null);
    }

    awaitSame(a, b);
    assertEquals(10, b.state().services().get(backend.id()).instancesRevision());
    assertEquals(10, a.state().services().get(backend.id()).instances().size());
  }

  @Test
  void concurrentWritesOnTwoReplicasAreAllAcceptedAfterLostRaces() throws Exception {
    Registry a = replica();
    Registry b = replica();
    Service backend = backendIn(a);
    awaitSame(a, b);

    List<CompletableFuture<Operation>> registrations = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Registry through = i % 2 == 0 ? a : b;
      String id = "i-" + i;
      registrations.add(
          CompletableFuture.supplyAsync(
              () ->
                  through.registerInstance(
                      new Registration(
                          backend.id(), id, attributes().ipv4("127.0.0.1").build(), null))));
    }
    for (CompletableFuture<Operation> registration : registrations) {
      registration.get(60, TimeUnit.SECONDS); // none refused: lost races are decided again
    }

    awaitSame(a, b);
    assertEquals(40, a.state().services().get(backend.id()).instances().size());
    assertEquals(40, a.state().services().get(backend.id()).instancesRevision());
  }

  @Test
  void aNameTakenByAReplicaThatWonTheRaceIsRefusedAsOnOneServer() throws Exception {
    FollowLater late = new FollowLater(store());
    Registry a = replica();
    Registry b = replicaOn(late); // loaded the empty registry, does not see a's commit yet
    a.createNamespace(NamespaceSpecs.http("same.example"));

    CompletableFuture<Namespace> second =
        CompletableFuture.supplyAsync(() -> b.createNamespace(NamespaceSpecs.http("same.example")));
    late.awaitLostRace();
    late.startFollowing();

    ExecutionException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> second.get(30, TimeUnit.SECONDS));
    RegistryException duplicate = assertInstanceOf(RegistryException.class, refused.getCause());
    assertEquals(RegistryError.NAMESPACE_ALREADY_EXISTS, duplicate.error());
    assertEquals(1, b.state().namespaces().size());
  }

  @Test
  void aRetryWithTheSameCreatorRequestIdOnAnotherReplicaAnswersTheFirstOperation() {
    Registry a = replica();
    Registry b = replica();
    Service backend = backendIn(a);
    Registration registration =
        new Registration(backend.id(), "i-1", attributes().ipv4("127.0.0.11").build(), "req-7");
    Operation first = a.registerInstance(registration);

    Await.until(
        () -> b.state().services().containsKey(backend.id()), () -> "service not replicated");
    Operation retried = b.registerInstance(registration);

    assertEquals(first.id(), retried.id());
    assertEquals(1, b.state().services().get(backend.id()).instancesRevision());
  }

  @Test
  void anotherReplicasBatchIsOnePublication() {
    Registry a = replica();
    Registry c = replica();
    Service backend = backendIn(a);
    awaitSame(a, c);
    AtomicInteger publications = new AtomicInteger();
    c.addListener(state -> publications.incrementAndGet());
    publications.set(0);

    List<CommandOutcome<?>> outcomes =
        a.executeEach(
            IntStream.range(0, 50)
                .mapToObj(
                    i ->
                        (RegistryCommand<?>)
                            new RegistryCommand.RegisterInstance(
                                new Registration(
                                    backend.id(),
                                    "i-" + i,
                                    attributes().ipv4("127.0.0.1").build(),
                                    null)))
                .toList());
    assertTrue(outcomes.stream().allMatch(o -> o instanceof CommandOutcome.Accepted<?>));

    awaitSame(a, c);
    assertEquals(1, publications.get());
  }

  @Test
  void aReplicaWhoseWatchStartWasCompactedReadsEverythingAgainAsOnePublication() throws Exception {
    FollowLater late = new FollowLater(store());
    Registry a = replica();
    Registry c = replicaOn(late); // loaded the empty registry
    Service backend = backendIn(a);
    for (int i = 0; i < 5; i++) {
      a.registerInstance(backend.id(), "i-" + i, attributes().ipv4("127.0.0.1").build(), null);
    }
    compactEtcd();
    AtomicInteger publications = new AtomicInteger();
    c.addListener(state -> publications.incrementAndGet());
    publications.set(0);

    late.startFollowing();

    awaitSame(a, c);
    assertEquals(1, publications.get());
    c.registerInstance(backend.id(), "i-c", attributes().ipv4("127.0.0.1").build(), null);
    awaitSame(c, a); // and it writes on top of what it read
    assertEquals(6, a.state().services().get(backend.id()).instancesRevision());
  }

  private static void compactEtcd() throws Exception {
    try (Client client =
        Client.builder().endpoints(ETCD.endpoints().toArray(String[]::new)).build()) {
      long revision =
          client
              .getKVClient()
              .get(ByteSequence.from("/", StandardCharsets.UTF_8))
              .get(10, TimeUnit.SECONDS)
              .getHeader()
              .getRevision();
      client.getKVClient().compact(revision).get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * A store whose following starts only when the test says, so a replica can be made to decide
   * against a state another replica has already changed.
   */
  private static final class FollowLater implements RegistryStore {
    private final EtcdRegistryStore store;
    private final CompletableFuture<Void> lostRace = new CompletableFuture<>();
    private StoreFeed feed;

    FollowLater(EtcdRegistryStore store) {
      this.store = store;
    }

    @Override
    public RegistryState load() {
      return store.load();
    }

    @Override
    public void commit(List<DeltaSet> batch) {
      try {
        store.commit(batch);
      } catch (RuntimeException e) {
        lostRace.complete(null);
        throw e;
      }
    }

    @Override
    public void follow(StoreFeed registry) {
      this.feed = registry;
    }

    void startFollowing() {
      store.follow(feed);
    }

    void awaitLostRace() throws Exception {
      lostRace.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void appliedThrough(long position) {
      store.appliedThrough(position);
    }

    @Override
    public String describe() {
      return store.describe();
    }

    @Override
    public void close() {
      store.close();
    }
  }
}
