package dev.cloudmapdns.server.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One immutable version of the whole registry. Readers hold on to a state as long as they like; a
 * write produces a new state with a higher {@code version}, sharing every unchanged entry. Besides
 * namespaces and services it holds what only the API reads: tags (by resource id), service
 * attributes and the most recent {@link #MAX_OPERATIONS} operations.
 */
public final class RegistryState {
  /** Operations kept for GetOperation/ListOperations; older ones are forgotten first. */
  public static final int MAX_OPERATIONS = 10_000;

  private static final RegistryState EMPTY =
      new RegistryState(0, Map.of(), Map.of(), Map.of(), Map.of(), OperationLog.empty());

  private final long version;
  private final Map<String, Namespace> namespaces;
  private final Map<String, ServiceEntry> services;
  private final Map<String, Map<String, String>> tags;
  private final Map<String, Map<String, String>> serviceAttributes;
  private final OperationLog operations;

  private RegistryState(
      long version,
      Map<String, Namespace> namespaces,
      Map<String, ServiceEntry> services,
      Map<String, Map<String, String>> tags,
      Map<String, Map<String, String>> serviceAttributes,
      OperationLog operations) {
    this.version = version;
    this.namespaces = namespaces;
    this.services = services;
    this.tags = tags;
    this.serviceAttributes = serviceAttributes;
    this.operations = operations;
  }

  public static RegistryState empty() {
    return EMPTY;
  }

  /**
   * A state read back from a store: maps in the order the registry created their entries (the
   * operations oldest first; only the newest {@link #MAX_OPERATIONS} are kept).
   */
  public static RegistryState restored(
      long version,
      Map<String, Namespace> namespaces,
      Map<String, ServiceEntry> services,
      Map<String, Map<String, String>> tags,
      Map<String, Map<String, String>> serviceAttributes,
      Map<String, Operation> operations) {
    return new RegistryState(
        version,
        frozen(namespaces),
        frozen(services),
        frozenValues(tags),
        frozenValues(serviceAttributes),
        OperationLog.of(operations.values(), MAX_OPERATIONS));
  }

  public long version() {
    return version;
  }

  public Map<String, Namespace> namespaces() {
    return namespaces;
  }

  public Map<String, ServiceEntry> services() {
    return services;
  }

  /** The namespace with this id or ARN. */
  public Optional<Namespace> namespace(String idOrArn) {
    Namespace byId = namespaces.get(idOrArn);
    if (byId != null || idOrArn == null || !idOrArn.startsWith("arn:")) {
      return Optional.ofNullable(byId);
    }
    return namespaces.values().stream().filter(n -> idOrArn.equals(n.arn())).findFirst();
  }

  /** The service with this id or ARN. */
  public Optional<ServiceEntry> service(String idOrArn) {
    ServiceEntry byId = services.get(idOrArn);
    if (byId != null || idOrArn == null || !idOrArn.startsWith("arn:")) {
      return Optional.ofNullable(byId);
    }
    return services.values().stream()
        .filter(entry -> idOrArn.equals(entry.service().arn()))
        .findFirst();
  }

  /** The namespace whose name is {@code name}, compared as DNS compares names. */
  public Optional<Namespace> namespaceNamed(String name) {
    String wanted = DnsNames.canonical(name);
    return namespaces.values().stream()
        .filter(n -> DnsNames.canonical(n.name()).equals(wanted))
        .findFirst();
  }

  /** The service named {@code name} in the namespace, compared as DNS compares names. */
  public Optional<ServiceEntry> serviceNamed(String namespaceId, String name) {
    String wanted = DnsNames.canonical(name);
    return servicesIn(namespaceId).stream()
        .filter(entry -> DnsNames.canonical(entry.service().name()).equals(wanted))
        .findFirst();
  }

  /** The services of one namespace, in creation order. */
  public List<ServiceEntry> servicesIn(String namespaceId) {
    return services.values().stream()
        .filter(entry -> entry.service().namespaceId().equals(namespaceId))
        .toList();
  }

  /** The tags of a namespace or service, by its id. */
  public Map<String, String> tags(String resourceId) {
    return tags.getOrDefault(resourceId, Map.of());
  }

  /** A service's key/value attributes (UpdateServiceAttributes), by its id. */
  public Map<String, String> serviceAttributes(String serviceId) {
    return serviceAttributes.getOrDefault(serviceId, Map.of());
  }

  /** Recorded operations, oldest first; a copy made for the caller, so not for hot paths. */
  public Map<String, Operation> operations() {
    return operations.asMap();
  }

  /** The recorded operation with this id. */
  public Optional<Operation> operation(String id) {
    return Optional.ofNullable(operations.get(id));
  }

  /** The recorded operation of this type made with this CreatorRequestId or UpdaterRequestId. */
  Optional<Operation> operationFor(OperationType type, String requestId) {
    return Optional.ofNullable(operations.byRequest(type, requestId));
  }

  /** This state with {@code changes} applied in order; the version stays. */
  public RegistryState apply(List<Change> changes) {
    RegistryState next = this;
    for (Change change : changes) {
      next = next.apply(change);
    }
    return next;
  }

  private RegistryState apply(Change change) {
    if (change instanceof Change.NamespacePut put) {
      return withNamespace(put.namespace());
    } else if (change instanceof Change.NamespaceRemoved removed) {
      return withoutNamespace(removed.namespaceId());
    } else if (change instanceof Change.ServicePut put) {
      return withService(entryFor(put.service()));
    } else if (change instanceof Change.ServiceRemoved removed) {
      return withoutService(removed.serviceId());
    } else if (change instanceof Change.InstancePut put) {
      return withService(
          existing(put.serviceId()).withInstance(put.instance(), put.instancesRevision()));
    } else if (change instanceof Change.InstanceRemoved removed) {
      return withService(
          existing(removed.serviceId())
              .withoutInstance(removed.instanceId(), removed.instancesRevision()));
    } else if (change instanceof Change.HealthSet health) {
      return withService(
          existing(health.serviceId()).withHealth(health.instanceId(), health.status()));
    } else if (change instanceof Change.TagsSet set) {
      return withTags(set.resourceId(), set.tags());
    } else if (change instanceof Change.ServiceAttributesSet set) {
      return withServiceAttributes(set.serviceId(), set.attributes());
    } else if (change instanceof Change.OperationAdded added) {
      return withOperation(added.operation());
    }
    throw new IllegalArgumentException("unknown change " + change);
  }

  private ServiceEntry entryFor(Service service) {
    ServiceEntry current = services.get(service.id());
    return current == null ? ServiceEntry.empty(service) : current.withService(service);
  }

  private ServiceEntry existing(String serviceId) {
    ServiceEntry entry = services.get(serviceId);
    if (entry == null) {
      throw new IllegalStateException("no service " + serviceId + " to change");
    }
    return entry;
  }

  /** This state as the {@code version}th published one; only the registry's publish sets it. */
  RegistryState withVersion(long nextVersion) {
    return new RegistryState(
        nextVersion, namespaces, services, tags, serviceAttributes, operations);
  }

  private RegistryState withNamespace(Namespace namespace) {
    return new RegistryState(
        version,
        put(namespaces, namespace.id(), namespace),
        services,
        tags,
        serviceAttributes,
        operations);
  }

  private RegistryState withoutNamespace(String namespaceId) {
    return new RegistryState(
        version,
        remove(namespaces, namespaceId),
        services,
        remove(tags, namespaceId),
        serviceAttributes,
        operations);
  }

  private RegistryState withService(ServiceEntry entry) {
    return new RegistryState(
        version,
        namespaces,
        put(services, entry.service().id(), entry),
        tags,
        serviceAttributes,
        operations);
  }

  /** This state with all services (and their instances) replaced. */
  RegistryState withServices(Map<String, ServiceEntry> entries) {
    return new RegistryState(
        version, namespaces, frozen(entries), tags, serviceAttributes, operations);
  }

  private RegistryState withoutService(String serviceId) {
    return new RegistryState(
        version,
        namespaces,
        remove(services, serviceId),
        remove(tags, serviceId),
        remove(serviceAttributes, serviceId),
        operations);
  }

  private RegistryState withTags(String resourceId, Map<String, String> resourceTags) {
    Map<String, Map<String, String>> next =
        resourceTags.isEmpty()
            ? remove(tags, resourceId)
            : put(tags, resourceId, Collections.unmodifiableMap(new LinkedHashMap<>(resourceTags)));
    return new RegistryState(version, namespaces, services, next, serviceAttributes, operations);
  }

  private RegistryState withServiceAttributes(String serviceId, Map<String, String> attributes) {
    Map<String, Map<String, String>> next =
        attributes.isEmpty()
            ? remove(serviceAttributes, serviceId)
            : put(
                serviceAttributes,
                serviceId,
                Collections.unmodifiableMap(new LinkedHashMap<>(attributes)));
    return new RegistryState(version, namespaces, services, tags, next, operations);
  }

  private RegistryState withOperation(Operation operation) {
    return new RegistryState(
        version,
        namespaces,
        services,
        tags,
        serviceAttributes,
        operations.append(operation, MAX_OPERATIONS));
  }

  private static <V> Map<String, V> frozen(Map<String, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  private static Map<String, Map<String, String>> frozenValues(
      Map<String, Map<String, String>> map) {
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    map.forEach((key, value) -> copy.put(key, frozen(value)));
    return Collections.unmodifiableMap(copy);
  }

  private static <V> Map<String, V> put(Map<String, V> map, String key, V value) {
    Map<String, V> next = new LinkedHashMap<>(map);
    next.put(key, value);
    return Collections.unmodifiableMap(next);
  }

  private static <V> Map<String, V> remove(Map<String, V> map, String key) {
    if (!map.containsKey(key)) {
      return map;
    }
    Map<String, V> next = new LinkedHashMap<>(map);
    next.remove(key);
    return Collections.unmodifiableMap(next);
  }
}
