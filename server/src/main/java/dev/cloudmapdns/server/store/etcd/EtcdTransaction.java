package dev.cloudmapdns.server.store.etcd;

import dev.cloudmapdns.server.registry.DeltaSet;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.Operation;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.Service;
import dev.cloudmapdns.server.registry.StateDelta;
import dev.cloudmapdns.server.store.etcd.EtcdCodec.VersionMark;
import dev.cloudmapdns.server.store.etcd.EtcdIndex.StoredOperation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The etcd transaction of one batch, planned without talking to etcd: the keys to put and delete
 * (each key once, the batch's last word on it, as etcd refuses a transaction naming a key twice),
 * the keys that must not exist yet (names and request ids: uniqueness by compare-and-swap), and
 * what the {@link EtcdIndex} learns once it commits. The revision guard is added by the store.
 *
 * @param writes key to its new value, or to null for a delete, in the order first written
 * @param mustBeAbsent keys created by this batch that no other writer may have created
 */
record EtcdTransaction(
    Map<String, byte[]> writes,
    Set<String> mustBeAbsent,
    Map<String, String> namesAdded,
    Set<String> namesRemoved,
    List<StoredOperation> operationsAdded,
    int oldestOperationsDropped) {

  EtcdTransaction {
    writes = Collections.unmodifiableMap(new LinkedHashMap<>(writes));
    mustBeAbsent = Collections.unmodifiableSet(new LinkedHashSet<>(mustBeAbsent));
    namesAdded = Collections.unmodifiableMap(new LinkedHashMap<>(namesAdded));
    namesRemoved = Collections.unmodifiableSet(new LinkedHashSet<>(namesRemoved));
    operationsAdded = List.copyOf(operationsAdded);
  }

  /** Plans {@code batch} (not empty) on top of what {@code index} says is stored. */
  static EtcdTransaction plan(EtcdKeys keys, EtcdIndex index, List<DeltaSet> batch, String writer) {
    Planner planner = new Planner(keys, index);
    for (DeltaSet changeSet : batch) {
      for (StateDelta change : changeSet.changes()) {
        planner.add(change);
      }
    }
    long version = batch.get(batch.size() - 1).version();
    planner.trimOperations();
    planner.put(keys.version(), EtcdCodec.versionMark(new VersionMark(version, writer)));
    return planner.transaction();
  }

  /**
   * At most how many puts and deletes {@code changes} become (keys written twice count twice): what
   * the store adds up to keep a group commit within etcd's {@code --max-txn-ops}.
   */
  static int weight(DeltaSet changes) {
    int weight = 0;
    for (StateDelta change : changes.changes()) {
      weight += weight(change);
    }
    return weight;
  }

  private static int weight(StateDelta change) {
    if (change instanceof StateDelta.ServiceRemoved) {
      return 6; // the service, its revision, tags, attributes and name
    } else if (change instanceof StateDelta.OperationAdded) {
      return 4; // it, its request id, and the oldest one with its request id when trimming
    } else if (change instanceof StateDelta.InstancePut
        || change instanceof StateDelta.InstanceRemoved
        || change instanceof StateDelta.NamespaceRemoved) {
      return 3; // instance, health, revision; namespace, its tags, its name
    } else if (change instanceof StateDelta.NamespacePut
        || change instanceof StateDelta.ServicePut) {
      return 2; // it and its name
    }
    return 1; // health, tags, service attributes
  }

  /** What applies this transaction's effect on the stored keys to the index. */
  void applyTo(EtcdIndex index) {
    namesRemoved.forEach(index::unname);
    namesAdded.forEach(index::name);
    index.dropOldestOperations(oldestOperationsDropped);
    operationsAdded.forEach(index::addOperation);
  }

  private static final class Planner {
    private final EtcdKeys keys;
    private final EtcdIndex index;
    private final Map<String, byte[]> writes = new LinkedHashMap<>();
    private final Set<String> mustBeAbsent = new LinkedHashSet<>();
    private final Map<String, String> namesAdded = new LinkedHashMap<>();
    private final Set<String> namesRemoved = new LinkedHashSet<>();
    private final List<StoredOperation> operationsAdded = new ArrayList<>();
    private final Set<String> operationIdsAdded = new LinkedHashSet<>();
    private int oldestDropped;

    Planner(EtcdKeys keys, EtcdIndex index) {
      this.keys = keys;
      this.index = index;
    }

    void add(StateDelta change) {
      if (change instanceof StateDelta.NamespacePut put) {
        Namespace namespace = put.namespace();
        name(namespace.id(), keys.namespaceName(namespace.name()));
        put(keys.namespace(namespace.id()), EtcdCodec.namespace(namespace));
      } else if (change instanceof StateDelta.NamespaceRemoved removed) {
        delete(keys.namespace(removed.namespaceId()));
        delete(keys.tags(removed.namespaceId()));
        unname(removed.namespaceId());
      } else if (change instanceof StateDelta.ServicePut put) {
        Service service = put.service();
        name(service.id(), keys.serviceName(service.namespaceId(), service.name()));
        put(keys.service(service.id()), EtcdCodec.service(service));
      } else if (change instanceof StateDelta.ServiceRemoved removed) {
        String id = removed.serviceId();
        delete(keys.service(id));
        delete(keys.revision(id));
        delete(keys.tags(id));
        delete(keys.serviceAttributes(id));
        unname(id);
      } else if (change instanceof StateDelta.InstancePut put) {
        RegisteredInstance instance = put.instance();
        String id = instance.instance().id();
        put(keys.instance(put.serviceId(), id), EtcdCodec.instance(instance.instance()));
        put(keys.health(put.serviceId(), id), EtcdCodec.health(instance.health()));
        put(keys.revision(put.serviceId()), EtcdCodec.number(put.instancesRevision()));
      } else if (change instanceof StateDelta.InstanceRemoved removed) {
        delete(keys.instance(removed.serviceId(), removed.instanceId()));
        delete(keys.health(removed.serviceId(), removed.instanceId()));
        put(keys.revision(removed.serviceId()), EtcdCodec.number(removed.instancesRevision()));
      } else if (change instanceof StateDelta.HealthSet health) {
        put(
            keys.health(health.serviceId(), health.instanceId()),
            EtcdCodec.health(health.status()));
      } else if (change instanceof StateDelta.TagsSet tags) {
        putOrDelete(keys.tags(tags.resourceId()), tags.tags());
      } else if (change instanceof StateDelta.ServiceAttributesSet attributes) {
        putOrDelete(keys.serviceAttributes(attributes.serviceId()), attributes.attributes());
      } else if (change instanceof StateDelta.OperationAdded added) {
        operation(added.operation());
      } else {
        throw new IllegalArgumentException("unknown change " + change);
      }
    }

    /** A new name is claimed once, by compare-and-swap; names never change after creation. */
    private void name(String id, String nameKey) {
      boolean stored = index.named(id) && !namesRemoved.contains(id);
      if (stored || namesAdded.containsKey(id)) {
        return;
      }
      mustBeAbsent.add(nameKey);
      namesAdded.put(id, nameKey);
      put(nameKey, EtcdCodec.text(id));
    }

    private void unname(String id) {
      String nameKey = namesAdded.remove(id);
      if (nameKey == null && index.named(id)) {
        nameKey = index.nameKey(id);
        namesRemoved.add(id);
      }
      if (nameKey != null) {
        delete(nameKey);
      }
    }

    private void operation(Operation operation) {
      String key = keys.operation(operation.id());
      put(key, EtcdCodec.operation(operation));
      if (index.hasOperation(operation.id()) || !operationIdsAdded.add(operation.id())) {
        return;
      }
      String requestKey = null;
      if (operation.requestId() != null) {
        requestKey = keys.requestId(operation.type(), operation.requestId());
        mustBeAbsent.add(requestKey);
        put(requestKey, EtcdCodec.text(operation.id()));
      }
      operationsAdded.add(new StoredOperation(operation.id(), key, requestKey));
    }

    /**
     * Keeps the newest {@link RegistryState#MAX_OPERATIONS}, deleting the oldest with their ids.
     */
    void trimOperations() {
      int excess = index.operationCount() + operationsAdded.size() - RegistryState.MAX_OPERATIONS;
      if (excess <= 0) {
        return;
      }
      oldestDropped = Math.min(excess, index.operationCount());
      List<StoredOperation> victims = new ArrayList<>(index.oldestOperations(oldestDropped));
      int fromBatch = excess - oldestDropped;
      victims.addAll(operationsAdded.subList(0, fromBatch));
      operationsAdded.subList(0, fromBatch).clear();
      for (StoredOperation victim : victims) {
        delete(victim.key());
        if (victim.requestKey() != null) {
          delete(victim.requestKey());
        }
      }
    }

    private void putOrDelete(String key, Map<String, String> values) {
      if (values.isEmpty()) {
        delete(key);
      } else {
        put(key, EtcdCodec.keyValues(values));
      }
    }

    void put(String key, byte[] value) {
      writes.remove(key); // the last word on a key goes last, as the batch said it
      writes.put(key, value);
    }

    private void delete(String key) {
      writes.remove(key);
      writes.put(key, null);
    }

    EtcdTransaction transaction() {
      return new EtcdTransaction(
          writes, mustBeAbsent, namesAdded, namesRemoved, operationsAdded, oldestDropped);
    }
  }
}
