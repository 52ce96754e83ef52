package dev.cloudmapdns.server.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recent operations one registry state sees: the window {@code [from, to)} of an append-only
 * log of sequence numbers that all states of a registry share. Recording an operation appends to
 * the log and returns a new, wider window, so a write costs the same with ten thousand operations
 * kept as with none; a state that is replaced keeps its own window.
 *
 * <p>Only the registry's writer appends (one thread at a time); any thread may read. The log
 * forgets entries well behind the newest window; after a refused commit the writer appends again
 * from an older window, overwriting sequence numbers, so every lookup checks the entry it finds.
 */
final class OperationLog {
  /** How far behind the newest window entries are still kept, for states readers still hold. */
  private static final int SLACK = RegistryState.MAX_OPERATIONS;

  private final Entries entries;
  private final long from;
  private final long to;

  private OperationLog(Entries entries, long from, long to) {
    this.entries = entries;
    this.from = from;
    this.to = to;
  }

  static OperationLog empty() {
    return new OperationLog(new Entries(), 0, 0);
  }

  /** A new log holding {@code operations} (oldest first), the newest {@code limit} of them. */
  static OperationLog of(Iterable<Operation> operations, int limit) {
    OperationLog log = empty();
    for (Operation operation : operations) {
      log = log.append(operation, limit);
    }
    return log;
  }

  /** This window plus {@code operation}, keeping the newest {@code limit}. */
  OperationLog append(Operation operation, int limit) {
    long seq = to;
    entries.bySeq.put(seq, operation);
    entries.seqById.put(operation.id(), seq);
    if (operation.requestId() != null) {
      entries.seqByRequest.put(requestKey(operation.type(), operation.requestId()), seq);
    }
    long nextFrom = Math.max(from, seq + 1 - limit);
    entries.forgetBefore(nextFrom - SLACK);
    return new OperationLog(entries, nextFrom, seq + 1);
  }

  int size() {
    return (int) (to - from);
  }

  /** The operation with this id, or null. */
  Operation get(String id) {
    Long seq = entries.seqById.get(id);
    Operation operation = visible(seq);
    return operation != null && operation.id().equals(id) ? operation : null;
  }

  /** The operation of this type made with this request id, or null. */
  Operation byRequest(OperationType type, String requestId) {
    Operation operation = visible(entries.seqByRequest.get(requestKey(type, requestId)));
    return operation != null && operation.type() == type && requestId.equals(operation.requestId())
        ? operation
        : null;
  }

  /** The operations of this window by id, oldest first. */
  Map<String, Operation> asMap() {
    Map<String, Operation> map = new LinkedHashMap<>();
    for (long seq = from; seq < to; seq++) {
      Operation operation = entries.bySeq.get(seq);
      map.put(operation.id(), operation);
    }
    return Collections.unmodifiableMap(map);
  }

  private Operation visible(Long seq) {
    return seq == null || seq < from || seq >= to ? null : entries.bySeq.get(seq);
  }

  private static String requestKey(OperationType type, String requestId) {
    return type.name() + '/' + requestId;
  }

  /** The shared log; indexes may point at overwritten or forgotten entries. */
  private static final class Entries {
    final Map<Long, Operation> bySeq = new ConcurrentHashMap<>();
    final Map<String, Long> seqById = new ConcurrentHashMap<>();
    final Map<String, Long> seqByRequest = new ConcurrentHashMap<>();
    long forgotten; // writer only

    void forgetBefore(long seq) {
      for (; forgotten < seq; forgotten++) {
        Operation operation = bySeq.remove(forgotten);
        if (operation != null) {
          seqById.remove(operation.id(), forgotten);
          if (operation.requestId() != null) {
            seqByRequest.remove(requestKey(operation.type(), operation.requestId()), forgotten);
          }
        }
      }
    }
  }
}
