package dev.cloudmapdns.server.registry;

import dev.cloudmapdns.persistent.CreationOrderedMap;
import dev.cloudmapdns.persistent.PersistentMap;
import java.util.ArrayList;
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
 *
 * <p>Every map is persistent ({@link CreationOrderedMap}, {@link PersistentMap}): a change copies
 * one path of a tree, not the map, so it costs the same with 100,000 instances as with ten, and a
 * listener compares two versions by what differs ({@link #serviceDifferences}). Services are also
 * indexed by namespace and by name, so finding a namespace's services or a name's service never
 * walks the others.
 */
public final class RegistryState {
  /** Operations kept for GetOperation/ListOperations; older ones are forgotten first. */
  public static final int MAX_OPERATIONS = 10_000;

  private static final RegistryState EMPTY =
      new RegistryState(
          0,
          CreationOrderedMap.empty(),
          CreationOrderedMap.empty(),
          PersistentMap.empty(),
          PersistentMap.empty(),
          PersistentMap.empty(),
          PersistentMap.empty(),
          OperationLog.empty());

  private final long version;
  private final CreationOrderedMap<String, Namespace> namespaces;
  private final CreationOrderedMap<String, ServiceEntry> services;

  /** Namespace id → the ids of its services, in creation order. */
  private final PersistentMap<String, CreationOrderedMap<String, String>> servicesByNamespace;

  /** {@link #nameKey} → service id. */
  private final PersistentMap<String, String> servicesByName;

  private final PersistentMap<String, Map<String, String>> tags;
  private final PersistentMap<String, Map<String, String>> serviceAttributes;
  private final OperationLog operations;

  private RegistryState(
      long version,
      CreationOrderedMap<String, Namespace> namespaces,
      CreationOrderedMap<String, ServiceEntry> services,
      PersistentMap<String, CreationOrderedMap<String, String>> servicesByNamespace,
      PersistentMap<String, String> servicesByName,
      PersistentMap<String, Map<String, String>> tags,
      PersistentMap<String, Map<String, String>> serviceAttributes,
      OperationLog operations) {
    this.version = version;
    this.namespaces = namespaces;
    this.services = services;
    this.servicesByNamespace = servicesByNamespace;
    this.servicesByName = servicesByName;
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
    RegistryState state =
        new RegistryState(
            version,
            CreationOrderedMap.copyOf(namespaces),
            EMPTY.services,
            EMPTY.servicesByNamespace,
            EMPTY.servicesByName,
            frozenValues(tags),
            frozenValues(serviceAttributes),
            OperationLog.of(operations.values(), MAX_OPERATIONS));
    for (ServiceEntry entry : services.values()) {
      state = state.withService(entry);
    }
    return state;
  }

  public long version() {
    return version;
  }

  /** Namespaces by id, in creation order. */
  public Map<String, Namespace> namespaces() {
    return namespaces;
  }

  /** Services by id; iterating goes in creation order (and sorts: for listings, not per change). */
  public Map<String, ServiceEntry> services() {
    return services;
  }

  /**
   * Tells {@code visitor} of every service entry that differs between this state and {@code newer}
   * (added: {@code before} null; removed: {@code after} null), in time proportional to the
   * differences: a change to one service of 100,000 is found without looking at the others.
   */
  public void serviceDifferences(
      RegistryState newer, PersistentMap.Difference<String, ServiceEntry> visitor) {
    services.differences(newer.services, visitor);
  }

  /** The namespace with this id or ARN. */
  public Optional<Namespace> namespace(String idOrArn) {
    if (idOrArn == null) {
      return Optional.empty();
    }
    Namespace found = namespaces.get(idOf(idOrArn));
    return Optional.ofNullable(found)
        .filter(n -> !idOrArn.startsWith("arn:") || idOrArn.equals(n.arn()));
  }

  /** The service with this id or ARN. */
  public Optional<ServiceEntry> service(String idOrArn) {
    if (idOrArn == null) {
      return Optional.empty();
    }
    ServiceEntry found = services.get(idOf(idOrArn));
    return Optional.ofNullable(found)
        .filter(e -> !idOrArn.startsWith("arn:") || idOrArn.equals(e.service().arn()));
  }

  /** An ARN's resource id (what follows its last slash); an id is itself. */
  private static String idOf(String idOrArn) {
    return idOrArn.startsWith("arn:") ? idOrArn.substring(idOrArn.lastIndexOf('/') + 1) : idOrArn;
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
    String id = servicesByName.get(nameKey(namespaceId, name));
    return Optional.ofNullable(id == null ? null : services.get(id));
  }

  /** The services of one namespace, in creation order. */
  public List<ServiceEntry> servicesIn(String namespaceId) {
    CreationOrderedMap<String, String> ids = servicesByNamespace.get(namespaceId);
    if (ids == null) {
      return List.of();
    }
    List<ServiceEntry> entries = new ArrayList<>(ids.size());
    for (String id : ids.keySet()) {
      entries.add(services.get(id));
    }
    return Collections.unmodifiableList(entries);
  }

  /** How many services the namespace has. */
  public int serviceCountIn(String namespaceId) {
    CreationOrderedMap<String, String> ids = servicesByNamespace.get(namespaceId);
    return ids == null ? 0 : ids.size();
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
  public RegistryState apply(List<StateDelta> changes) {
    RegistryState next = this;
    for (StateDelta change : changes) {
      next = next.apply(change);
    }
    return next;
  }

  private RegistryState apply(StateDelta change) {
    if (change instanceof StateDelta.NamespacePut put) {
      return withNamespace(put.namespace());
    } else if (change instanceof StateDelta.NamespaceRemoved removed) {
      return withoutNamespace(removed.namespaceId());
    } else if (change instanceof StateDelta.ServicePut put) {
      return withService(entryFor(put.service()));
    } else if (change instanceof StateDelta.ServiceRemoved removed) {
      return withoutService(removed.serviceId());
    } else if (change instanceof StateDelta.InstancePut put) {
      return withService(
          existing(put.serviceId()).withInstance(put.instance(), put.instancesRevision()));
    } else if (change instanceof StateDelta.InstanceRemoved removed) {
      return withService(
          existing(removed.serviceId())
              .withoutInstance(removed.instanceId(), removed.instancesRevision()));
    } else if (change instanceof StateDelta.HealthSet health) {
      return withService(
          existing(health.serviceId()).withHealth(health.instanceId(), health.status()));
    } else if (change instanceof StateDelta.TagsSet set) {
      return withTags(set.resourceId(), set.tags());
    } else if (change instanceof StateDelta.ServiceAttributesSet set) {
      return withServiceAttributes(set.serviceId(), set.attributes());
    } else if (change instanceof StateDelta.OperationAdded added) {
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
        nextVersion,
        namespaces,
        services,
        servicesByNamespace,
        servicesByName,
        tags,
        serviceAttributes,
        operations);
  }

  private RegistryState withNamespace(Namespace namespace) {
    return new RegistryState(
        version,
        namespaces.plus(namespace.id(), namespace),
        services,
        servicesByNamespace,
        servicesByName,
        tags,
        serviceAttributes,
        operations);
  }

  private RegistryState withoutNamespace(String namespaceId) {
    return new RegistryState(
        version,
        namespaces.minus(namespaceId),
        services,
        servicesByNamespace.minus(namespaceId),
        servicesByName,
        tags.minus(namespaceId),
        serviceAttributes,
        operations);
  }

  /** This state with {@code entry} added or put in the place of the service's current entry. */
  RegistryState withService(ServiceEntry entry) {
    Service service = entry.service();
    ServiceEntry current = services.get(service.id());
    PersistentMap<String, CreationOrderedMap<String, String>> byNamespace = servicesByNamespace;
    PersistentMap<String, String> byName = servicesByName;
    if (current == null) {
      CreationOrderedMap<String, String> ids =
          byNamespace.getOrDefault(service.namespaceId(), CreationOrderedMap.empty());
      byNamespace = byNamespace.plus(service.namespaceId(), ids.plus(service.id(), service.id()));
      byName = byName.plus(nameKey(service.namespaceId(), service.name()), service.id());
    }
    return new RegistryState(
        version,
        namespaces,
        services.plus(service.id(), entry),
        byNamespace,
        byName,
        tags,
        serviceAttributes,
        operations);
  }

  /** This state with all services (and their instances) replaced. */
  RegistryState withServices(Map<String, ServiceEntry> entries) {
    RegistryState next =
        new RegistryState(
            version,
            namespaces,
            EMPTY.services,
            EMPTY.servicesByNamespace,
            EMPTY.servicesByName,
            tags,
            serviceAttributes,
            operations);
    for (ServiceEntry entry : entries.values()) {
      next = next.withService(entry);
    }
    return next;
  }

  private RegistryState withoutService(String serviceId) {
    ServiceEntry current = services.get(serviceId);
    if (current == null) {
      return this;
    }
    Service service = current.service();
    CreationOrderedMap<String, String> ids =
        servicesByNamespace.getOrDefault(service.namespaceId(), CreationOrderedMap.empty());
    ids = ids.minus(serviceId);
    return new RegistryState(
        version,
        namespaces,
        services.minus(serviceId),
        ids.isEmpty()
            ? servicesByNamespace.minus(service.namespaceId())
            : servicesByNamespace.plus(service.namespaceId(), ids),
        servicesByName.minus(nameKey(service.namespaceId(), service.name())),
        tags.minus(serviceId),
        serviceAttributes.minus(serviceId),
        operations);
  }

  private RegistryState withTags(String resourceId, Map<String, String> resourceTags) {
    PersistentMap<String, Map<String, String>> next =
        resourceTags.isEmpty()
            ? tags.minus(resourceId)
            : tags.plus(resourceId, Collections.unmodifiableMap(new LinkedHashMap<>(resourceTags)));
    return new RegistryState(
        version,
        namespaces,
        services,
        servicesByNamespace,
        servicesByName,
        next,
        serviceAttributes,
        operations);
  }

  private RegistryState withServiceAttributes(String serviceId, Map<String, String> attributes) {
    PersistentMap<String, Map<String, String>> next =
        attributes.isEmpty()
            ? serviceAttributes.minus(serviceId)
            : serviceAttributes.plus(
                serviceId, Collections.unmodifiableMap(new LinkedHashMap<>(attributes)));
    return new RegistryState(
        version, namespaces, services, servicesByNamespace, servicesByName, tags, next, operations);
  }

  private RegistryState withOperation(Operation operation) {
    return new RegistryState(
        version,
        namespaces,
        services,
        servicesByNamespace,
        servicesByName,
        tags,
        serviceAttributes,
        operations.append(operation, MAX_OPERATIONS));
  }

  /** The key of the name index: namespace id and the name as DNS compares it. */
  private static String nameKey(String namespaceId, String name) {
    return namespaceId + '/' + DnsNames.canonical(name);
  }

  private static PersistentMap<String, Map<String, String>> frozenValues(
      Map<String, Map<String, String>> map) {
    PersistentMap<String, Map<String, String>> copy = PersistentMap.empty();
    for (Map.Entry<String, Map<String, String>> entry : map.entrySet()) {
      copy =
          copy.plus(
              entry.getKey(), Collections.unmodifiableMap(new LinkedHashMap<>(entry.getValue())));
    }
    return copy;
  }
}
