package dev.cloudmapdns.server.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.cloudmapdns.server.testing.TestRegistries;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared operation log: each state sees its own window, whatever was appended since. */
class OperationLogTest {
  private static Operation operation(String id, String requestId) {
    return new Operation(
        id,
        OperationType.REGISTER_INSTANCE,
        OperationStatus.SUCCESS,
        Map.of(OperationTarget.SERVICE, "srv-1"),
        TestRegistries.NOW,
        TestRegistries.NOW,
        requestId,
        TestRegistries.REGION);
  }

  @Test
  void aWindowKeepsTheNewestOperationsInOrder() {
    OperationLog log = OperationLog.empty();
    for (int i = 0; i < 5; i++) {
      log = log.append(operation("op-" + i, "req-" + i), 3);
    }

    assertEquals(List.of("op-2", "op-3", "op-4"), List.copyOf(log.asMap().keySet()));
    assertEquals(3, log.size());
    assertNull(log.get("op-1"), "trimmed");
    assertNull(log.byRequest(OperationType.REGISTER_INSTANCE, "req-1"), "trimmed");
    assertEquals("op-3", log.byRequest(OperationType.REGISTER_INSTANCE, "req-3").id());
    assertNull(log.byRequest(OperationType.DEREGISTER_INSTANCE, "req-3"), "another type");
  }

  @Test
  void anOlderWindowDoesNotSeeWhatWasAppendedAfterIt() {
    OperationLog older = OperationLog.empty().append(operation("op-0", null), 10);
    OperationLog newer = older.append(operation("op-1", "req-1"), 10);

    assertNull(older.get("op-1"));
    assertNull(older.byRequest(OperationType.REGISTER_INSTANCE, "req-1"));
    assertEquals(List.of("op-0"), List.copyOf(older.asMap().keySet()));
    assertEquals("op-1", newer.get("op-1").id());
  }

  @Test
  void appendingAgainFromAnOlderWindowReplacesWhatWasAppendedAfterIt() {
    OperationLog published = OperationLog.empty().append(operation("op-0", null), 10);
    published.append(operation("refused", "req-refused"), 10); // a commit that failed

    Operation next = operation("op-1", "req-1");
    OperationLog working = published.append(next, 10);

    assertNull(working.get("refused"));
    assertNull(working.byRequest(OperationType.REGISTER_INSTANCE, "req-refused"));
    assertSame(next, working.get("op-1"));
    assertEquals(List.of("op-0", "op-1"), List.copyOf(working.asMap().keySet()));
  }

  @Test
  void aLogRebuiltFromAMapKeepsItsNewest() {
    Map<String, Operation> stored =
        Map.of("op-0", operation("op-0", null)); // one entry: order does not matter
    assertEquals(stored, OperationLog.of(stored.values(), 10).asMap());
    assertEquals(Map.of(), OperationLog.of(List.of(), 10).asMap());
  }
}
