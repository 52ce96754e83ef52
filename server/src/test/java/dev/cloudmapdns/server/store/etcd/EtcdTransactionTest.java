package dev.cloudmapdns.server.store.etcd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.registry.DeltaSet;
import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.Instance;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.NamespaceType;
import dev.cloudmapdns.server.registry.Operation;
import dev.cloudmapdns.server.registry.OperationStatus;
import dev.cloudmapdns.server.registry.OperationTarget;
import dev.cloudmapdns.server.registry.OperationType;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.StateDelta;
import dev.cloudmapdns.server.store.etcd.EtcdIndex.StoredOperation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a batch becomes one etcd transaction, planned without etcd. */
class EtcdTransactionTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final EtcdKeys KEYS = new EtcdKeys("/r/");

  private final EtcdIndex index = new EtcdIndex();

  private EtcdTransaction plan(StateDelta... changes) {
    return EtcdTransaction.plan(KEYS, index, List.of(new DeltaSet(7, List.of(changes))), "me");
  }

  private static Namespace namespace(String id, String name) {
    return new Namespace(id, "arn:" + id, name, NamespaceType.HTTP, null, 15, null, null, NOW);
  }

  private static Operation operation(String id, String requestId) {
    return new Operation(
        id,
        OperationType.CREATE_NAMESPACE,
        OperationStatus.SUCCESS,
        Map.of(OperationTarget.NAMESPACE, "ns-1"),
        NOW,
        NOW,
        requestId,
        "eu-west-1");
  }

  private static RegisteredInstance instance(String id) {
    return new RegisteredInstance(new Instance(id, Map.of(), null, NOW), HealthStatus.HEALTHY);
  }

  @Test
  void aKeyTheBatchWritesTwiceIsWrittenOnceWithItsLastValue() {
    EtcdTransaction transaction =
        plan(
            new StateDelta.InstancePut("srv-1", instance("i-1"), 1),
            new StateDelta.InstancePut("srv-1", instance("i-2"), 2),
            new StateDelta.HealthSet("srv-1", "i-1", HealthStatus.UNHEALTHY));

    assertArrayEquals(
        EtcdCodec.health(HealthStatus.UNHEALTHY),
        transaction.writes().get(KEYS.health("srv-1", "i-1")));
    assertArrayEquals(EtcdCodec.number(2), transaction.writes().get(KEYS.revision("srv-1")));
    assertEquals(
        List.of(
            KEYS.instance("srv-1", "i-1"),
            KEYS.instance("srv-1", "i-2"),
            KEYS.health("srv-1", "i-2"),
            KEYS.revision("srv-1"),
            KEYS.health("srv-1", "i-1"),
            KEYS.version()),
        List.copyOf(transaction.writes().keySet()));
  }

  @Test
  void aNewNamespaceClaimsItsNameOnceByCompareAndSwap() {
    EtcdTransaction transaction =
        plan(
            new StateDelta.NamespacePut(namespace("ns-1", "App.Example.")),
            new StateDelta.NamespacePut(namespace("ns-1", "App.Example.")));

    assertEquals(Set.of(KEYS.namespaceName("app.example")), transaction.mustBeAbsent());
    assertArrayEquals(
        EtcdCodec.text("ns-1"), transaction.writes().get(KEYS.namespaceName("app.example")));
  }

  @Test
  void anUpdateOfAStoredNamespaceClaimsNoName() {
    index.name("ns-1", KEYS.namespaceName("app.example"));

    EtcdTransaction transaction =
        plan(new StateDelta.NamespacePut(namespace("ns-1", "app.example")));

    assertEquals(Set.of(), transaction.mustBeAbsent());
    assertEquals(Set.of(KEYS.namespace("ns-1"), KEYS.version()), transaction.writes().keySet());
  }

  @Test
  void removingAStoredNamespaceFreesItsName() {
    index.name("ns-1", KEYS.namespaceName("app.example"));

    EtcdTransaction transaction = plan(new StateDelta.NamespaceRemoved("ns-1"));
    transaction.applyTo(index);

    assertTrue(transaction.writes().containsKey(KEYS.namespaceName("app.example")));
    assertNull(transaction.writes().get(KEYS.namespaceName("app.example")));
    assertNull(index.nameKey("ns-1"));
  }

  @Test
  void aRequestIdIsClaimedWithItsOperation() {
    EtcdTransaction transaction = plan(new StateDelta.OperationAdded(operation("op-1", "req-1")));

    String requestKey = KEYS.requestId(OperationType.CREATE_NAMESPACE, "req-1");
    assertEquals(Set.of(requestKey), transaction.mustBeAbsent());
    assertArrayEquals(EtcdCodec.text("op-1"), transaction.writes().get(requestKey));
  }

  @Test
  void theOldestOperationGoesWithItsRequestIdWhenTheLimitIsPassed() {
    for (int i = 0; i < RegistryState.MAX_OPERATIONS; i++) {
      String id = "op-" + i;
      index.addOperation(
          new StoredOperation(
              id,
              KEYS.operation(id),
              i == 0 ? KEYS.requestId(OperationType.CREATE_NAMESPACE, "old") : null));
    }

    EtcdTransaction transaction = plan(new StateDelta.OperationAdded(operation("op-new", null)));
    transaction.applyTo(index);

    assertTrue(transaction.writes().containsKey(KEYS.operation("op-0")));
    assertNull(transaction.writes().get(KEYS.operation("op-0")));
    assertNull(transaction.writes().get(KEYS.requestId(OperationType.CREATE_NAMESPACE, "old")));
    assertTrue(
        transaction.writes().containsKey(KEYS.requestId(OperationType.CREATE_NAMESPACE, "old")));
    assertEquals(RegistryState.MAX_OPERATIONS, index.operationCount());
    assertEquals("op-1", index.oldestOperations(1).get(0).id());
  }

  @Test
  void everyTransactionEndsWithTheVersionMarkOfItsLastChangeSet() {
    EtcdTransaction transaction =
        EtcdTransaction.plan(
            KEYS,
            index,
            List.of(
                new DeltaSet(3, List.of(new StateDelta.TagsSet("ns-1", Map.of("a", "b")))),
                new DeltaSet(4, List.of(new StateDelta.TagsSet("ns-1", Map.of())))),
            "replica-a");

    assertNull(transaction.writes().get(KEYS.tags("ns-1")));
    assertEquals(
        new EtcdCodec.VersionMark(4, "replica-a"),
        EtcdCodec.versionMark(KEYS.version(), transaction.writes().get(KEYS.version())));
  }
}
