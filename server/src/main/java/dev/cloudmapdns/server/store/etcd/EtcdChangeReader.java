package dev.cloudmapdns.server.store.etcd;

import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.Instance;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.StateDelta;
import dev.cloudmapdns.server.store.etcd.EtcdCodec.VersionMark;
import dev.cloudmapdns.server.store.etcd.EtcdIndex.StoredOperation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the key events of one etcd transaction (what a watch reports at one revision) back into the
 * registry deltas that transaction stands for, the inverse of {@link EtcdTransaction}: an instance
 * with its health and its service's InstancesRevision, a removal, tags, an operation. Deltas come
 * in an order that applies: namespaces and services before their instances, removals of services
 * and namespaces last. Keys only the store uses (names, request ids) become updates of the {@link
 * EtcdIndex}.
 */
final class EtcdChangeReader {

  /** One key of the transaction: its new value, or null when it was deleted. */
  record KeyEvent(String key, byte[] value) {
    boolean deleted() {
      return value == null;
    }
  }

  /**
   * What one transaction says.
   *
   * @param mark the version mark it wrote (who wrote it), or null for a transaction without one
   */
  record Read(List<StateDelta> changes, VersionMark mark, IndexUpdate index) {
    Read {
      changes = List.copyOf(changes);
    }
  }

  /** What the transaction changed among the keys only the store reads. */
  record IndexUpdate(
      Map<String, String> namesAdded,
      List<String> nameKeysRemoved,
      List<StoredOperation> operationsAdded,
      List<String> operationKeysRemoved) {

    void applyTo(EtcdIndex index) {
      nameKeysRemoved.forEach(index::unnameKey);
      namesAdded.forEach(index::name);
      operationKeysRemoved.forEach(index::forgetOperation);
      operationsAdded.forEach(index::addOperation);
    }
  }

  private EtcdChangeReader() {}

  /** The events of one transaction, in the order etcd reports them; keys outside are ignored. */
  static Read read(EtcdKeys keys, List<KeyEvent> events) {
    List<StateDelta> namespaces = new ArrayList<>();
    List<StateDelta> services = new ArrayList<>();
    Map<String, Instance> instancesPut = new LinkedHashMap<>();
    List<String> instancesRemoved = new ArrayList<>();
    Map<String, HealthStatus> health = new LinkedHashMap<>();
    Map<String, Long> revisions = new HashMap<>();
    List<StateDelta> values = new ArrayList<>();
    List<StateDelta> operations = new ArrayList<>();
    List<StateDelta> serviceRemovals = new ArrayList<>();
    List<StateDelta> namespaceRemovals = new ArrayList<>();
    Map<String, String> namesAdded = new LinkedHashMap<>();
    List<String> nameKeysRemoved = new ArrayList<>();
    Map<String, String> operationKeys = new LinkedHashMap<>();
    Map<String, String> requestKeys = new HashMap<>();
    List<String> operationKeysRemoved = new ArrayList<>();
    VersionMark mark = null;
    for (KeyEvent event : events) {
      String key = event.key();
      String relative = keys.relative(key);
      if (relative == null) {
        continue;
      }
      byte[] value = event.value();
      if (relative.startsWith(EtcdKeys.NAMESPACE_NAME)
          || relative.startsWith(EtcdKeys.SERVICE_NAME)) {
        if (event.deleted()) {
          nameKeysRemoved.add(key);
        } else {
          namesAdded.put(EtcdCodec.text(value), key);
        }
      } else if (relative.startsWith(EtcdKeys.REQUEST_ID)) {
        if (!event.deleted()) {
          requestKeys.put(EtcdCodec.text(value), key);
        }
      } else if (relative.startsWith(EtcdKeys.NAMESPACE)) {
        String id = after(relative, EtcdKeys.NAMESPACE);
        if (event.deleted()) {
          namespaceRemovals.add(new StateDelta.NamespaceRemoved(id));
        } else {
          namespaces.add(new StateDelta.NamespacePut(EtcdCodec.namespace(key, value)));
        }
      } else if (relative.startsWith(EtcdKeys.SERVICE)) {
        String id = after(relative, EtcdKeys.SERVICE);
        if (event.deleted()) {
          serviceRemovals.add(new StateDelta.ServiceRemoved(id));
        } else {
          services.add(new StateDelta.ServicePut(EtcdCodec.service(key, value)));
        }
      } else if (relative.startsWith(EtcdKeys.REVISION)) {
        if (!event.deleted()) {
          revisions.put(after(relative, EtcdKeys.REVISION), EtcdCodec.number(key, value));
        }
      } else if (relative.startsWith(EtcdKeys.INSTANCE)) {
        String path = after(relative, EtcdKeys.INSTANCE);
        if (event.deleted()) {
          instancesRemoved.add(path);
        } else {
          instancesPut.put(path, EtcdCodec.instance(key, value));
        }
      } else if (relative.startsWith(EtcdKeys.HEALTH)) {
        if (!event.deleted()) {
          health.put(after(relative, EtcdKeys.HEALTH), EtcdCodec.health(key, value));
        }
      } else if (relative.startsWith(EtcdKeys.TAGS)) {
        values.add(
            new StateDelta.TagsSet(
                after(relative, EtcdKeys.TAGS),
                event.deleted() ? Map.of() : EtcdCodec.keyValues(key, value)));
      } else if (relative.startsWith(EtcdKeys.SERVICE_ATTRIBUTES)) {
        values.add(
            new StateDelta.ServiceAttributesSet(
                after(relative, EtcdKeys.SERVICE_ATTRIBUTES),
                event.deleted() ? Map.of() : EtcdCodec.keyValues(key, value)));
      } else if (relative.startsWith(EtcdKeys.OPERATION)) {
        if (event.deleted()) {
          operationKeysRemoved.add(key);
        } else {
          var operation = EtcdCodec.operation(key, value);
          operations.add(new StateDelta.OperationAdded(operation));
          operationKeys.put(operation.id(), key);
        }
      } else if (relative.equals(EtcdKeys.VERSION) && !event.deleted()) {
        mark = EtcdCodec.versionMark(key, value);
      }
    }
    List<StateDelta> changes = new ArrayList<>(namespaces);
    changes.addAll(services);
    instancesPut.forEach(
        (path, instance) -> {
          String serviceId = serviceOf(path);
          changes.add(
              new StateDelta.InstancePut(
                  serviceId,
                  new RegisteredInstance(instance, health.getOrDefault(path, HealthStatus.HEALTHY)),
                  revisions.getOrDefault(serviceId, 0L)));
        });
    health.forEach(
        (path, status) -> {
          if (!instancesPut.containsKey(path)) {
            changes.add(
                new StateDelta.HealthSet(
                    serviceOf(path), path.substring(serviceOf(path).length() + 1), status));
          }
        });
    for (String path : instancesRemoved) {
      String serviceId = serviceOf(path);
      changes.add(
          new StateDelta.InstanceRemoved(
              serviceId,
              path.substring(serviceId.length() + 1),
              revisions.getOrDefault(serviceId, 0L)));
    }
    changes.addAll(values);
    changes.addAll(operations);
    changes.addAll(serviceRemovals);
    changes.addAll(namespaceRemovals);
    List<StoredOperation> operationsAdded = new ArrayList<>();
    operationKeys.forEach(
        (id, key) -> operationsAdded.add(new StoredOperation(id, key, requestKeys.get(id))));
    return new Read(
        changes,
        mark,
        new IndexUpdate(namesAdded, nameKeysRemoved, operationsAdded, operationKeysRemoved));
  }

  private static String after(String relative, String kind) {
    return relative.substring(kind.length());
  }

  /** The service id of {@code <serviceId>/<instanceId>}; instance ids may hold a slash. */
  private static String serviceOf(String path) {
    int slash = path.indexOf('/');
    return slash < 0 ? path : path.substring(0, slash);
  }
}
