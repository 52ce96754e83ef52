package dev.cloudmapdns.server.registry;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one writer of the registry. Each command is checked against {@link RegistryRules} and the
 * current state, applied to produce a new immutable {@link RegistryState}, published, and handed to
 * every listener before the command returns, so the next DNS query already sees it. Commands are
 * serialized; readers never wait for them.
 *
 * <p>Cloud Map's asynchronous commands (namespace changes, service updates, registrations) are
 * recorded as {@link Operation}s that have already succeeded when the command returns. Every id
 * parameter accepts the resource's id or its ARN.
 */
public final class Registry {
  private final RegistryIdentity identity;
  private final Clock clock;
  private final InitialCheckStatus initialCheckStatus;
  private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();
  private volatile RegistryState state = RegistryState.empty();

  public Registry(RegistryIdentity identity, Clock clock) {
    this(identity, clock, InitialCheckStatus.UNKNOWN_UNTIL_CHECKED);
  }

  /**
   * @param initialCheckStatus what an instance of a service with active health checks starts as
   */
  public Registry(RegistryIdentity identity, Clock clock, InitialCheckStatus initialCheckStatus) {
    this.identity = identity;
    this.clock = clock;
    this.initialCheckStatus = Objects.requireNonNull(initialCheckStatus, "initialCheckStatus");
  }

  /** The current state; a consistent snapshot that never changes under the caller. */
  public RegistryState state() {
    return state;
  }

  public RegistryIdentity identity() {
    return identity;
  }

  /** Registers a listener and hands it the current state at once. */
  public synchronized void addListener(RegistryListener listener) {
    listeners.add(listener);
    listener.onChange(state);
  }

  public synchronized Namespace createNamespace(NamespaceSpec spec) {
    Operation created = createNamespace(spec, Map.of());
    return state.namespaces().get(created.target(OperationTarget.NAMESPACE));
  }

  /**
   * Creates a namespace with tags. A retry with the CreatorRequestId of an earlier creation of the
   * same namespace answers with that creation's operation; any other reuse of it is a duplicate.
   */
  public synchronized Operation createNamespace(NamespaceSpec spec, Map<String, String> tags) {
    return createNamespace(spec, tags, identity.region());
  }

  /**
   * Creates a namespace in {@code region}: its ARN, its services' and its operations' carry it.
   * Names stay unique across regions, because DNS serves one view of all namespaces.
   */
  public synchronized Operation createNamespace(
      NamespaceSpec spec, Map<String, String> tags, String region) {
    RegistryRules.checkNamespace(spec);
    if (spec.creatorRequestId() != null) {
      Operation earlier = retried(OperationType.CREATE_NAMESPACE, spec.creatorRequestId());
      if (earlier != null) {
        Namespace existing = state.namespaces().get(earlier.target(OperationTarget.NAMESPACE));
        if (existing != null
            && existing.name().equals(spec.name())
            && existing.type() == spec.type()) {
          return earlier;
        }
        throw duplicate(spec.creatorRequestId(), earlier);
      }
    }
    String wanted = canonical(spec.name());
    for (Namespace existing : state.namespaces().values()) {
      if (canonical(existing.name()).equals(wanted)) {
        throw new RegistryException(
            RegistryError.NAMESPACE_ALREADY_EXISTS,
            "Namespace " + spec.name() + " already exists (" + existing.id() + ")");
      }
    }
    RegistryRules.checkTags("Namespace " + spec.name(), tags.size());
    String id = identity.newNamespaceId();
    Namespace namespace =
        new Namespace(
            id,
            identity.namespaceArn(id, region),
            spec.name(),
            spec.type(),
            spec.description(),
            spec.soaTtl() == null ? Namespace.DEFAULT_SOA_TTL : spec.soaTtl(),
            spec.vpc(),
            spec.creatorRequestId(),
            clock.instant());
    Operation operation =
        operation(
            OperationType.CREATE_NAMESPACE,
            Map.of(OperationTarget.NAMESPACE, id),
            spec.creatorRequestId(),
            region);
    publish(state.withNamespace(namespace).withTags(id, tags).withOperation(operation));
    return operation;
  }

  /** Changes a namespace's description and SOA TTL; a retried UpdaterRequestId is answered once. */
  public synchronized Operation updateNamespace(String namespaceId, NamespaceChange change) {
    Namespace current = requireNamespace(namespaceId);
    RegistryRules.checkNamespaceChange(change, current);
    if (change.requestId() != null) {
      Operation earlier = retried(OperationType.UPDATE_NAMESPACE, change.requestId());
      if (earlier != null) {
        if (current.id().equals(earlier.target(OperationTarget.NAMESPACE))) {
          return earlier;
        }
        throw duplicate(change.requestId(), earlier);
      }
    }
    Namespace updated =
        new Namespace(
            current.id(),
            current.arn(),
            current.name(),
            current.type(),
            change.description() != null ? change.description() : current.description(),
            change.soaTtl() != null ? change.soaTtl() : current.soaTtl(),
            current.vpc(),
            current.creatorRequestId(),
            current.createDate());
    Operation operation =
        operation(
            OperationType.UPDATE_NAMESPACE,
            Map.of(OperationTarget.NAMESPACE, current.id()),
            change.requestId(),
            identity.regionOf(current.arn()));
    publish(state.withNamespace(updated).withOperation(operation));
    return operation;
  }

  public synchronized Operation deleteNamespace(String namespaceId) {
    Namespace namespace = requireNamespace(namespaceId);
    if (!state.servicesIn(namespace.id()).isEmpty()) {
      throw new RegistryException(
          RegistryError.RESOURCE_IN_USE,
          "Namespace " + namespaceId + " still has services; delete them first");
    }
    Operation operation =
        operation(
            OperationType.DELETE_NAMESPACE,
            Map.of(OperationTarget.NAMESPACE, namespace.id()),
            null,
            identity.regionOf(namespace.arn()));
    publish(state.withoutNamespace(namespace.id()).withOperation(operation));
    return operation;
  }

  public synchronized Service createService(ServiceSpec spec) {
    return createService(spec, Map.of());
  }

  /**
   * Creates a service with tags. A retry with the CreatorRequestId of an existing service of the
   * same name in the same namespace answers with that service.
   */
  public synchronized Service createService(ServiceSpec spec, Map<String, String> tags) {
    Namespace namespace = requireNamespace(spec.namespaceId());
    RegistryRules.checkService(spec, namespace);
    String wanted = canonical(spec.name());
    for (ServiceEntry existing : state.servicesIn(namespace.id())) {
      Service service = existing.service();
      if (spec.creatorRequestId() != null
          && spec.creatorRequestId().equals(service.creatorRequestId())
          && service.name().equals(spec.name())) {
        return service;
      }
      if (canonical(service.name()).equals(wanted)) {
        throw new RegistryException(
            RegistryError.SERVICE_ALREADY_EXISTS,
            "Service "
                + spec.name()
                + " already exists in namespace "
                + namespace.name()
                + " ("
                + service.id()
                + ")");
      }
    }
    RegistryRules.checkTags("Service " + spec.name(), tags.size());
    String id = identity.newServiceId();
    Service service =
        new Service(
            id,
            identity.serviceArn(id, identity.regionOf(namespace.arn())),
            spec.name(),
            namespace.id(),
            spec.description(),
            spec.dnsConfig(),
            spec.healthCheckConfig(),
            spec.healthCheckCustomConfig(),
            spec.creatorRequestId(),
            clock.instant());
    publish(state.withService(ServiceEntry.empty(service)).withTags(id, tags));
    return service;
  }

  /**
   * Applies UpdateService. When the active health check changes, every instance starts over from
   * the status a new instance would have.
   */
  public synchronized Operation updateService(String serviceId, ServiceChange change) {
    ServiceEntry entry = requireService(serviceId);
    Service current = entry.service();
    Namespace namespace = requireNamespace(current.namespaceId());
    DnsConfig dns = current.dnsConfig();
    if (change.records() != null) {
      if (dns == null) {
        throw RegistryException.invalid(
            "Service " + current.id() + " has no DnsConfig; DnsConfig.DnsRecords cannot be set");
      }
      dns = new DnsConfig(dns.routingPolicy(), change.records());
    }
    ServiceSpec spec =
        new ServiceSpec(
            current.name(),
            current.namespaceId(),
            change.description() != null ? change.description() : current.description(),
            dns,
            change.healthCheckConfig(),
            current.healthCheckCustomConfig(),
            current.creatorRequestId());
    RegistryRules.checkService(spec, namespace);
    Service updated =
        new Service(
            current.id(),
            current.arn(),
            current.name(),
            current.namespaceId(),
            spec.description(),
            spec.dnsConfig(),
            spec.healthCheckConfig(),
            spec.healthCheckCustomConfig(),
            current.creatorRequestId(),
            current.createDate());
    Map<String, RegisteredInstance> instances = new LinkedHashMap<>(entry.instances());
    if (!Objects.equals(current.healthCheckConfig(), updated.healthCheckConfig())) {
      instances.replaceAll(
          (id, registered) ->
              registered.withHealth(
                  updated.initialHealth(registered.instance(), initialCheckStatus)));
    }
    Operation operation =
        operation(
            OperationType.UPDATE_SERVICE,
            Map.of(OperationTarget.SERVICE, current.id()),
            null,
            identity.regionOf(current.arn()));
    publish(
        state
            .withService(new ServiceEntry(updated, instances, entry.instancesRevision()))
            .withOperation(operation));
    return operation;
  }

  public synchronized void deleteService(String serviceId) {
    ServiceEntry entry = requireService(serviceId);
    if (!entry.instances().isEmpty()) {
      throw new RegistryException(
          RegistryError.RESOURCE_IN_USE,
          "Service " + serviceId + " still has registered instances; deregister them first");
    }
    publish(state.withoutService(entry.service().id()));
  }

  /** Adds or replaces service attributes; at most 30 in all. */
  public synchronized void updateServiceAttributes(
      String serviceId, Map<String, String> attributes) {
    Service service = requireService(serviceId).service();
    Map<String, String> next = new LinkedHashMap<>(state.serviceAttributes(service.id()));
    next.putAll(attributes);
    RegistryRules.checkServiceAttributes(service.id(), next.size());
    publish(state.withServiceAttributes(service.id(), next));
  }

  /** Removes service attributes; keys that are not there are ignored. */
  public synchronized void deleteServiceAttributes(String serviceId, Collection<String> keys) {
    Service service = requireService(serviceId).service();
    Map<String, String> next = new LinkedHashMap<>(state.serviceAttributes(service.id()));
    next.keySet().removeAll(keys);
    publish(state.withServiceAttributes(service.id(), next));
  }

  /**
   * Registers an instance, or replaces the attributes of an instance with the same id (its health
   * status is kept).
   */
  public synchronized RegisteredInstance registerInstance(
      String serviceId,
      String instanceId,
      Map<String, String> attributes,
      String creatorRequestId) {
    Operation operation =
        registerInstance(new Registration(serviceId, instanceId, attributes, creatorRequestId));
    return state
        .services()
        .get(operation.target(OperationTarget.SERVICE))
        .instances()
        .get(instanceId);
  }

  /**
   * Registers or updates an instance. A retry with the CreatorRequestId of an earlier registration
   * of the same instance with the same attributes answers with that registration's operation; any
   * other reuse of it is a duplicate, as Cloud Map wants a new id for every registration.
   */
  public synchronized Operation registerInstance(Registration registration) {
    ServiceEntry entry = requireService(registration.serviceId());
    Service service = entry.service();
    String instanceId = registration.instanceId();
    RegistryRules.checkInstance(instanceId, registration.attributes(), service);
    RegisteredInstance previous = entry.instances().get(instanceId);
    String requestId = registration.creatorRequestId();
    if (requestId != null) {
      Operation earlier = retried(OperationType.REGISTER_INSTANCE, requestId);
      if (earlier != null) {
        if (previous != null
            && instanceId.equals(earlier.target(OperationTarget.INSTANCE))
            && service.id().equals(earlier.target(OperationTarget.SERVICE))
            && previous.instance().attributes().equals(registration.attributes())) {
          return earlier;
        }
        throw duplicate(requestId, earlier);
      }
    }
    if (previous == null && entry.instances().size() >= RegistryRules.MAX_INSTANCES_PER_SERVICE) {
      throw new RegistryException(
          RegistryError.RESOURCE_LIMIT_EXCEEDED,
          "Service "
              + service.id()
              + " already has "
              + RegistryRules.MAX_INSTANCES_PER_SERVICE
              + " instances, the most one service may have");
    }
    Instance instance =
        new Instance(instanceId, registration.attributes(), requestId, clock.instant());
    HealthStatus health =
        previous != null ? previous.health() : service.initialHealth(instance, initialCheckStatus);
    RegisteredInstance registered = new RegisteredInstance(instance, health);
    Operation operation =
        operation(
            OperationType.REGISTER_INSTANCE,
            targets(service, instanceId),
            requestId,
            identity.regionOf(service.arn()));
    publish(
        state
            .withService(entry.withInstance(registered, entry.instancesRevision() + 1))
            .withOperation(operation));
    return operation;
  }

  public synchronized Operation deregisterInstance(String serviceId, String instanceId) {
    ServiceEntry entry = requireService(serviceId);
    if (!entry.instances().containsKey(instanceId)) {
      throw new RegistryException(
          RegistryError.INSTANCE_NOT_FOUND,
          "Instance " + instanceId + " is not registered in service " + serviceId);
    }
    Operation operation =
        operation(
            OperationType.DEREGISTER_INSTANCE,
            targets(entry.service(), instanceId),
            null,
            identity.regionOf(entry.service().arn()));
    publish(
        state
            .withService(entry.withoutInstance(instanceId, entry.instancesRevision() + 1))
            .withOperation(operation));
    return operation;
  }

  /**
   * Sets an instance's health status; a no-op when it already has it.
   *
   * @return whether the status changed
   */
  public synchronized boolean updateHealth(
      String serviceId, String instanceId, HealthStatus status) {
    ServiceEntry entry = requireService(serviceId);
    RegisteredInstance current = entry.instances().get(instanceId);
    if (current == null) {
      throw new RegistryException(
          RegistryError.INSTANCE_NOT_FOUND,
          "Instance " + instanceId + " is not registered in service " + serviceId);
    }
    if (current.health() == status) {
      return false;
    }
    publish(state.withService(entry.withHealth(instanceId, status)));
    return true;
  }

  /**
   * UpdateInstanceCustomHealthStatus: only for services with HealthCheckCustomConfig.
   *
   * @return whether the status changed
   */
  public synchronized boolean updateCustomHealth(
      String serviceId, String instanceId, HealthStatus status) {
    Service service = requireService(serviceId).service();
    if (service.healthCheckCustomConfig() == null) {
      throw new RegistryException(
          RegistryError.CUSTOM_HEALTH_NOT_FOUND,
          "Service " + serviceId + " has no HealthCheckCustomConfig");
    }
    return updateHealth(service.id(), instanceId, status);
  }

  /** Adds or replaces tags on the namespace or service with this ARN; at most 50 in all. */
  public synchronized void tagResource(String arn, Map<String, String> tags) {
    String id = requireTaggable(arn);
    Map<String, String> next = new LinkedHashMap<>(state.tags(id));
    next.putAll(tags);
    RegistryRules.checkTags(arn, next.size());
    publish(state.withTags(id, next));
  }

  /** Removes tags from the namespace or service with this ARN; absent keys are ignored. */
  public synchronized void untagResource(String arn, Collection<String> keys) {
    String id = requireTaggable(arn);
    Map<String, String> next = new LinkedHashMap<>(state.tags(id));
    next.keySet().removeAll(keys);
    publish(state.withTags(id, next));
  }

  /** The id of the namespace or service with this ARN. */
  public String requireTaggable(String arn) {
    RegistryState current = state;
    for (Namespace namespace : current.namespaces().values()) {
      if (namespace.arn().equals(arn)) {
        return namespace.id();
      }
    }
    for (ServiceEntry entry : current.services().values()) {
      if (entry.service().arn().equals(arn)) {
        return entry.service().id();
      }
    }
    throw new RegistryException(RegistryError.RESOURCE_NOT_FOUND, "Resource " + arn + " not found");
  }

  private Map<OperationTarget, String> targets(Service service, String instanceId) {
    Map<OperationTarget, String> targets = new EnumMap<>(OperationTarget.class);
    targets.put(OperationTarget.NAMESPACE, service.namespaceId());
    targets.put(OperationTarget.SERVICE, service.id());
    targets.put(OperationTarget.INSTANCE, instanceId);
    return targets;
  }

  private Operation operation(
      OperationType type, Map<OperationTarget, String> targets, String requestId, String region) {
    Instant now = clock.instant();
    return new Operation(
        identity.newOperationId(),
        type,
        OperationStatus.SUCCESS,
        targets,
        now,
        now,
        requestId,
        region);
  }

  /** The earlier operation of this type made with this request id, or null. */
  private Operation retried(OperationType type, String requestId) {
    for (Operation operation : state.operations().values()) {
      if (operation.type() == type && requestId.equals(operation.requestId())) {
        return operation;
      }
    }
    return null;
  }

  private static RegistryException duplicate(String requestId, Operation earlier) {
    return new RegistryException(
        RegistryError.DUPLICATE_REQUEST,
        "Request id "
            + requestId
            + " was already used for a different request (operation "
            + earlier.id()
            + ")");
  }

  private Namespace requireNamespace(String namespaceId) {
    return state
        .namespace(namespaceId)
        .orElseThrow(
            () ->
                new RegistryException(
                    RegistryError.NAMESPACE_NOT_FOUND, "Namespace " + namespaceId + " not found"));
  }

  private ServiceEntry requireService(String serviceId) {
    return state
        .service(serviceId)
        .orElseThrow(
            () ->
                new RegistryException(
                    RegistryError.SERVICE_NOT_FOUND, "Service " + serviceId + " not found"));
  }

  /** Publishes the result of one command as the next version, however many steps built it. */
  private void publish(RegistryState next) {
    RegistryState published = next.withVersion(state.version() + 1);
    state = published;
    for (RegistryListener listener : listeners) {
      listener.onChange(published);
    }
  }

  /** Names that differ only by case (or a trailing dot) are the same name in DNS. */
  static String canonical(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }
}
