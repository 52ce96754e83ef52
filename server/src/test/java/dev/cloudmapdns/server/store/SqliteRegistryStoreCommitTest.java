package dev.cloudmapdns.server.store;

import static dev.cloudmapdns.server.testing.InstanceAttributes.attributes;
import static dev.cloudmapdns.server.testing.ServiceSpecBuilder.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.registry.DeltaSet;
import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.InitialCheckStatus;
import dev.cloudmapdns.server.registry.Instance;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.NamespaceSpec;
import dev.cloudmapdns.server.registry.NamespaceType;
import dev.cloudmapdns.server.registry.Operation;
import dev.cloudmapdns.server.registry.OperationStatus;
import dev.cloudmapdns.server.registry.OperationTarget;
import dev.cloudmapdns.server.registry.OperationType;
import dev.cloudmapdns.server.registry.RecordType;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.Registration;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryCommand.DeregisterInstance;
import dev.cloudmapdns.server.registry.RegistryCommand.RegisterInstance;
import dev.cloudmapdns.server.registry.RegistryIdentity;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.RegistryStoreException;
import dev.cloudmapdns.server.registry.ServiceEntry;
import dev.cloudmapdns.server.registry.StateDelta;
import dev.cloudmapdns.server.store.SqliteRegistryStore.Synchronous;
import dev.cloudmapdns.server.testing.TestRegistries;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How batches are written: all or nothing, operations trimmed, concurrent commands all kept. */
class SqliteRegistryStoreCommitTest {
  private static final Instant T0 = Instant.parse("2024-05-01T12:00:00.123456789Z");

  @TempDir Path directory;

  private Path file() {
    return directory.resolve("cloudmap.db");
  }

  private SqliteRegistryStore open() {
    return SqliteRegistryStore.open(file(), Synchronous.NORMAL);
  }

  private static Operation operation(int n) {
    return new Operation(
        "op-" + n,
        OperationType.CREATE_NAMESPACE,
        OperationStatus.SUCCESS,
        Map.of(OperationTarget.NAMESPACE, "ns-" + n),
        T0.plusSeconds(n),
        T0.plusSeconds(n),
        n % 2 == 0 ? "request-" + n : null,
        TestRegistries.REGION);
  }

  private static Namespace namespace(String id) {
    return new Namespace(
        id, "arn:" + id, id + ".example", NamespaceType.HTTP, null, 15, null, null, T0);
  }

  private long rows(String table) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  @Test
  void keepsOnlyTheNewestOperationsInTheFile() throws SQLException {
    int total = RegistryState.MAX_OPERATIONS + 250;
    try (SqliteRegistryStore store = open()) {
      List<DeltaSet> batch = new ArrayList<>();
      for (int n = 1; n <= total; n++) {
        batch.add(new DeltaSet(n, List.of(new StateDelta.OperationAdded(operation(n)))));
        if (batch.size() == 1_000 || n == total) {
          store.commit(batch);
          batch = new ArrayList<>();
        }
      }
      // Recording an operation again keeps its place, as the registry's map does.
      store.commit(
          List.of(
              new DeltaSet(total + 1, List.of(new StateDelta.OperationAdded(operation(total))))));
    }

    assertEquals(RegistryState.MAX_OPERATIONS, rows("operations"));
    try (SqliteRegistryStore store = open()) {
      RegistryState state = store.load();
      List<String> ids = List.copyOf(state.operations().keySet());
      assertEquals(RegistryState.MAX_OPERATIONS, ids.size());
      assertEquals("op-251", ids.get(0));
      assertEquals("op-" + total, ids.get(ids.size() - 1));
      assertEquals(operation(total - 1), state.operations().get("op-" + (total - 1)));
      assertEquals(total + 1, state.version());
    }
  }

  @Test
  void aBatchOfMoreOperationsThanAreKeptStoresTheNewestAndDropsEveryOlderOne() throws SQLException {
    int older = 300;
    int total = RegistryState.MAX_OPERATIONS + 250;
    try (SqliteRegistryStore store = open()) {
      List<DeltaSet> before = new ArrayList<>();
      for (int n = 1; n <= older; n++) {
        before.add(new DeltaSet(n, List.of(new StateDelta.OperationAdded(operation(-n)))));
      }
      store.commit(before);
      List<StateDelta> seed = new ArrayList<>();
      for (int n = 1; n <= total; n++) {
        seed.add(new StateDelta.OperationAdded(operation(n)));
      }
      store.commit(List.of(new DeltaSet(older + 1, seed)));
    }

    assertEquals(RegistryState.MAX_OPERATIONS, rows("operations"));
    try (SqliteRegistryStore store = open()) {
      List<String> ids = List.copyOf(store.load().operations().keySet());
      assertEquals("op-251", ids.get(0), "the oldest kept");
      assertEquals("op-" + total, ids.get(ids.size() - 1));
      assertEquals(operation(total), store.load().operations().get("op-" + total));
    }
  }

  @Test
  void aServiceChangedManyTimesInOneBatchKeepsItsLastInstancesRevision() {
    Registry registry =
        new Registry(
            new RegistryIdentity(TestRegistries.REGION, TestRegistries.ACCOUNT),
            Clock.systemUTC(),
            InitialCheckStatus.UNKNOWN_UNTIL_CHECKED,
            open());
    String namespaceId =
        registry
            .createNamespace(
                new NamespaceSpec(
                    "batch.local", NamespaceType.DNS_PRIVATE, null, null, "vpc-1", null))
            .id();
    String serviceId =
        registry.createService(service("web").records(RecordType.A).in(namespaceId).build()).id();
    registry.executeAll(
        scope -> {
          for (int i = 1; i <= 5; i++) {
            scope.execute(
                new RegisterInstance(
                    new Registration(
                        serviceId, "i-" + i, attributes().ipv4("127.0.0." + i).build(), null)));
          }
          return scope.execute(new DeregisterInstance(serviceId, "i-1"));
        });
    registry.close();

    try (SqliteRegistryStore store = open()) {
      ServiceEntry stored = store.load().services().get(serviceId);
      assertEquals(6, stored.instancesRevision(), "five registrations and a deregistration");
      assertEquals(List.of("i-2", "i-3", "i-4", "i-5"), List.copyOf(stored.instances().keySet()));
    }
  }

  @Test
  void aFailedBatchStoresNothingOfIt() {
    try (SqliteRegistryStore store = open()) {
      Instance orphan = new Instance("i-1", Map.of(Instance.IPV4, "127.0.0.1"), null, T0);
      List<DeltaSet> batch =
          List.of(
              new DeltaSet(1, List.of(new StateDelta.NamespacePut(namespace("ns-1")))),
              new DeltaSet(
                  2,
                  List.of(
                      new StateDelta.InstancePut(
                          "srv-missing",
                          new RegisteredInstance(orphan, HealthStatus.HEALTHY),
                          1))));

      RegistryStoreException e =
          assertThrows(RegistryStoreException.class, () -> store.commit(batch));
      assertTrue(e.getMessage().contains(file().toAbsolutePath().toString()), e.getMessage());

      RegistryState state = store.load();
      assertEquals(0, state.version());
      assertNull(state.namespaces().get("ns-1"));
      store.commit(List.of(batch.get(0)));
      assertEquals(1, store.load().version());
    }
    try (SqliteRegistryStore store = open()) {
      assertEquals(List.of("ns-1"), List.copyOf(store.load().namespaces().keySet()));
    }
  }

  @Test
  void keepsEveryRegistrationAcknowledgedToConcurrentCommands() throws Exception {
    int threads = 32;
    int perThread = 100;
    Registry registry = registry(SqliteRegistryStore.open(file(), Synchronous.FULL));
    Namespace namespace =
        registry.createNamespace(
            new NamespaceSpec("app.local", NamespaceType.DNS_PRIVATE, null, null, "vpc-1", null));
    List<String> services = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      services.add(
          registry
              .createService(service("svc-" + s).in(namespace.id()).records(RecordType.A).build())
              .id());
    }
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  String serviceId = services.get(thread % services.size());
                  for (int i = 0; i < perThread; i++) {
                    String id = "i-" + thread + "-" + i;
                    registry.registerInstance(
                        serviceId,
                        id,
                        attributes().ipv4("127.0." + thread + "." + i).build(),
                        null);
                    acknowledged.put(id, serviceId);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      registry.close();
    }

    assertEquals(threads * perThread, acknowledged.size());
    Registry reopened = registry(SqliteRegistryStore.open(file(), Synchronous.FULL));
    try {
      RegistryState state = reopened.state();
      acknowledged.forEach(
          (id, serviceId) ->
              assertTrue(
                  state.services().get(serviceId).instances().containsKey(id), id + " is lost"));
      for (String serviceId : services) {
        ServiceEntry entry = state.services().get(serviceId);
        assertEquals(threads * perThread / services.size(), entry.instances().size());
        assertEquals(entry.instances().size(), entry.instancesRevision());
      }
    } finally {
      reopened.close();
    }
  }

  private static Registry registry(SqliteRegistryStore store) {
    return new Registry(
        new RegistryIdentity(TestRegistries.REGION, TestRegistries.ACCOUNT),
        Clock.systemUTC(),
        InitialCheckStatus.UNKNOWN_UNTIL_CHECKED,
        store);
  }
}
