package dev.cloudmapdns.server.store.etcd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a commit needs to know about the stored keys that its change sets do not say: the name key
 * of a namespace or service being removed (a removal names only the id), and the stored operations
 * oldest first with their request-id keys (to keep only the newest {@code MAX_OPERATIONS}). Read at
 * load, changed only after a transaction commits; owned by the store, under its lock.
 */
final class EtcdIndex {
  /** One stored operation: its key and the key of its request id, or null. */
  record StoredOperation(String id, String key, String requestKey) {}

  private final Map<String, String> nameKeys = new HashMap<>();
  private final Map<String, String> idsByNameKey = new HashMap<>();
  private final Deque<StoredOperation> operations = new ArrayDeque<>();
  private final Map<String, StoredOperation> operationsById = new HashMap<>();

  /** The name key of namespace or service {@code id}, or null when it has none stored. */
  String nameKey(String id) {
    return nameKeys.get(id);
  }

  boolean named(String id) {
    return nameKeys.containsKey(id);
  }

  void name(String id, String key) {
    String previous = nameKeys.put(id, key);
    if (previous != null) {
      idsByNameKey.remove(previous);
    }
    idsByNameKey.put(key, id);
  }

  void unname(String id) {
    String key = nameKeys.remove(id);
    if (key != null) {
      idsByNameKey.remove(key);
    }
  }

  /** Forgets the name key {@code key} (another writer deleted it). */
  void unnameKey(String key) {
    String id = idsByNameKey.remove(key);
    if (id != null) {
      nameKeys.remove(id);
    }
  }

  boolean hasOperation(String id) {
    return operationsById.containsKey(id);
  }

  void addOperation(StoredOperation operation) {
    if (operationsById.putIfAbsent(operation.id(), operation) == null) {
      operations.addLast(operation);
    }
  }

  int operationCount() {
    return operations.size();
  }

  /** The {@code count} oldest stored operations. */
  List<StoredOperation> oldestOperations(int count) {
    List<StoredOperation> oldest = new ArrayList<>(count);
    Iterator<StoredOperation> it = operations.iterator();
    while (oldest.size() < count && it.hasNext()) {
      oldest.add(it.next());
    }
    return oldest;
  }

  /** Forgets the operation stored at {@code key} (another writer deleted it), wherever it is. */
  void forgetOperation(String key) {
    Iterator<StoredOperation> it = operations.iterator();
    while (it.hasNext()) {
      StoredOperation operation = it.next();
      if (operation.key().equals(key)) {
        it.remove();
        operationsById.remove(operation.id());
        return;
      }
    }
  }

  /** Forgets the {@code count} oldest operations (after their keys were deleted). */
  void dropOldestOperations(int count) {
    for (int i = 0; i < count && !operations.isEmpty(); i++) {
      operationsById.remove(operations.removeFirst().id());
    }
  }
}
