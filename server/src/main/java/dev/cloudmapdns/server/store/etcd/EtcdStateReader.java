package dev.cloudmapdns.server.store.etcd;

import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.Instance;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.Operation;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.Service;
import dev.cloudmapdns.server.registry.ServiceEntry;
import dev.cloudmapdns.server.store.etcd.EtcdCodec.VersionMark;
import dev.cloudmapdns.server.store.etcd.EtcdIndex.StoredOperation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns every key under the prefix, read at one etcd revision, back into a {@link RegistryState}
 * and the {@link EtcdIndex} that commits need. Maps come in creation order, which is etcd's create
 * revision of each key (a put on an existing key keeps it).
 */
final class EtcdStateReader {

  /** One key as read: its name, value and create and mod revisions. */
  record StoredKey(String key, byte[] value, long createRevision, long modRevision) {}

  /** What a load finds: the state, the index, and the guard for the next commit. */
  record Loaded(RegistryState state, EtcdIndex index, long versionRevision, long revision) {}

  private EtcdStateReader() {}

  /** {@code keys} all lie under the prefix of {@code layout}, read at etcd revision {@code at}. */
  static Loaded read(EtcdKeys layout, List<StoredKey> keys, long at) {
    List<StoredKey> ordered = new ArrayList<>(keys);
    ordered.sort(Comparator.comparingLong(StoredKey::createRevision));
    Map<String, Namespace> namespaces = new LinkedHashMap<>();
    Map<String, Service> services = new LinkedHashMap<>();
    Map<String, Long> revisions = new HashMap<>();
    Map<String, Map<String, Instance>> instances = new HashMap<>();
    Map<String, HealthStatus> health = new HashMap<>();
    Map<String, Map<String, String>> tags = new LinkedHashMap<>();
    Map<String, Map<String, String>> attributes = new LinkedHashMap<>();
    Map<String, Operation> operations = new LinkedHashMap<>();
    Map<String, String> operationKeys = new HashMap<>();
    Map<String, String> requestKeysByOperation = new HashMap<>();
    EtcdIndex index = new EtcdIndex();
    long version = 0;
    long versionRevision = 0;
    for (StoredKey stored : ordered) {
      String key = stored.key();
      byte[] value = stored.value();
      String relative = layout.relative(key);
      if (relative == null) {
        continue;
      }
      if (relative.startsWith(EtcdKeys.NAMESPACE_NAME)
          || relative.startsWith(EtcdKeys.SERVICE_NAME)) {
        index.name(EtcdCodec.text(value), key);
      } else if (relative.startsWith(EtcdKeys.REQUEST_ID)) {
        requestKeysByOperation.put(EtcdCodec.text(value), key);
      } else if (relative.startsWith(EtcdKeys.NAMESPACE)) {
        Namespace namespace = EtcdCodec.namespace(key, value);
        namespaces.put(namespace.id(), namespace);
      } else if (relative.startsWith(EtcdKeys.SERVICE)) {
        Service service = EtcdCodec.service(key, value);
        services.put(service.id(), service);
      } else if (relative.startsWith(EtcdKeys.REVISION)) {
        revisions.put(after(relative, EtcdKeys.REVISION), EtcdCodec.number(key, value));
      } else if (relative.startsWith(EtcdKeys.INSTANCE)) {
        String serviceId = serviceOf(relative, EtcdKeys.INSTANCE);
        Instance instance = EtcdCodec.instance(key, value);
        instances
            .computeIfAbsent(serviceId, id -> new LinkedHashMap<>())
            .put(instance.id(), instance);
      } else if (relative.startsWith(EtcdKeys.HEALTH)) {
        health.put(after(relative, EtcdKeys.HEALTH), EtcdCodec.health(key, value));
      } else if (relative.startsWith(EtcdKeys.TAGS)) {
        tags.put(after(relative, EtcdKeys.TAGS), EtcdCodec.keyValues(key, value));
      } else if (relative.startsWith(EtcdKeys.SERVICE_ATTRIBUTES)) {
        attributes.put(
            after(relative, EtcdKeys.SERVICE_ATTRIBUTES), EtcdCodec.keyValues(key, value));
      } else if (relative.startsWith(EtcdKeys.OPERATION)) {
        Operation operation = EtcdCodec.operation(key, value);
        operations.put(operation.id(), operation);
        operationKeys.put(operation.id(), key);
      } else if (relative.equals(EtcdKeys.VERSION)) {
        VersionMark mark = EtcdCodec.versionMark(key, value);
        version = mark.version();
        versionRevision = stored.modRevision();
      }
    }
    for (Operation operation : operations.values()) {
      index.addOperation(
          new StoredOperation(
              operation.id(),
              operationKeys.get(operation.id()),
              requestKeysByOperation.get(operation.id())));
    }
    Map<String, ServiceEntry> entries = new LinkedHashMap<>();
    for (Service service : services.values()) {
      Map<String, RegisteredInstance> registered = new LinkedHashMap<>();
      instances
          .getOrDefault(service.id(), Map.of())
          .forEach(
              (id, instance) ->
                  registered.put(
                      id,
                      new RegisteredInstance(
                          instance,
                          health.getOrDefault(service.id() + "/" + id, HealthStatus.HEALTHY))));
      entries.put(
          service.id(),
          new ServiceEntry(service, registered, revisions.getOrDefault(service.id(), 0L)));
    }
    RegistryState state =
        RegistryState.restored(version, namespaces, entries, tags, attributes, operations);
    return new Loaded(state, index, versionRevision, at);
  }

  private static String after(String relative, String kind) {
    return relative.substring(kind.length());
  }

  /** The service id of {@code <kind><serviceId>/<instanceId>}; instance ids may hold a slash. */
  private static String serviceOf(String relative, String kind) {
    String rest = after(relative, kind);
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }
}
