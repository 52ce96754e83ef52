package dev.cloudmapdns.server.registry;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of the registry. Each command is checked against {@link RegistryRules} and the
 * current state and turned into {@link Change}s; the changes are applied to the working state, made
 * durable by the {@link RegistryStore}, then published as a new immutable {@link RegistryState} and
 * handed to every listener before the command returns, so the next DNS query already sees it.
 *
 * <p>Commands are decided one at a time, but they do not wait for each other's disk writes:
 * whichever command finds the store idle commits every change set queued so far in one batch (a
 * group commit), so concurrent commands share one sync, and publishes the batch's last state once.
 * Readers never wait: {@link #state()} is the last published state, and it only ever holds durable
 * changes. If the store fails, the commands of that batch and those decided after them are refused
 * and the working state goes back to the published one.
 *
 * <p>Cloud Map's asynchronous commands (namespace changes, service updates, registrations) are
 * recorded as {@link Operation}s that have already succeeded when the command returns. Every id
 * parameter accepts the resource's id or its ARN.
 */
public final class Registry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

  private final RegistryIdentity identity;
  private final Clock clock;
  private final InitialCheckStatus initialCheckStatus;
  private final RegistryStore store;
  private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();

  /** Held while a batch is committed and published; taken before the monitor, never inside it. */
  private final ReentrantLock commitLock = new ReentrantLock();

  /** The last published state: durable, and what every reader sees. */
  private volatile RegistryState state;

  /** The state commands are decided against: the published one plus the queued changes. */
  private RegistryState working; // guarded by this

  /** Decided commands not yet taken by a committer, oldest first. */
  private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // guarded by this

  /** The command decided last, committed or not; null before the first. */
  private Pending lastDecided; // guarded by this

  public Registry(RegistryIdentity identity, Clock clock) {
    this(identity, clock, InitialCheckStatus.UNKNOWN_UNTIL_CHECKED);
  }

  /**
   * @param initialCheckStatus what an instance of a service with active health checks starts as
   */
  public Registry(RegistryIdentity identity, Clock clock, InitialCheckStatus initialCheckStatus) {
    this(identity, clock, initialCheckStatus, new MemoryRegistryStore());
  }

  /**
   * A registry that starts from what {@code store} holds. Health found by active checks is not
   * stored: those instances start over as new ones would ({@code initialCheckStatus}) until their
   * first checks.
   *
   * @throws RegistryStoreException when the store cannot be read
   */
  public Registry(
      RegistryIdentity identity,
      Clock clock,
      InitialCheckStatus initialCheckStatus,
      RegistryStore store) {
    this.identity = identity;
    this.clock = clock;
    this.initialCheckStatus = Objects.requireNonNull(initialCheckStatus, "initialCheckStatus");
    this.store = Objects.requireNonNull(store, "store");
    this.state = withDerivedHealth(store.load());
    synchronized (this) {
      this.working = state;
    }
  }

  /** The current state; a consistent snapshot that never changes under the caller. */
  public RegistryState state() {
    return state;
  }

  public RegistryIdentity identity() {
    return identity;
  }

  /** Registers a listener and hands it the current state at once. */
  public void addListener(RegistryListener listener) {
    commitLock.lock();
    try {
      listeners.add(listener);
      listener.onChange(state);
    } finally {
      commitLock.unlock();
    }
  }

  /** Closes the store; later commands are refused. */
  @Override
  public void close() {
    commitLock.lock();
    try {
      store.close();
    } finally {
      commitLock.unlock();
    }
  }

  public Namespace createNamespace(NamespaceSpec spec) {
    Operation created = createNamespace(spec, Map.of());
    return state.namespaces().get(created.target(OperationTarget.NAMESPACE));
  }

  /**
   * Creates a namespace with tags. A retry with the CreatorRequestId of an earlier creation of the
   * same namespace answers with that creation's operation; any other reuse of it is a duplicate.
   */
  public Operation createNamespace(NamespaceSpec spec, Map<String, String> tags) {
    return createNamespace(spec, tags, identity.region());
  }

  /**
   * Creates a namespace in {@code region}: its ARN, its services' and its operations' carry it.
   * Names stay unique across regions, because DNS serves one view of all namespaces.
   */
  public Operation createNamespace(NamespaceSpec spec, Map<String, String> tags, String region) {
    return write(
        () -> {
          RegistryRules.checkNamespace(spec);
          if (spec.creatorRequestId() != null) {
            Operation earlier = retried(OperationType.CREATE_NAMESPACE, spec.creatorRequestId());
            if (earlier != null) {
              Namespace existing =
                  working.namespaces().get(earlier.target(OperationTarget.NAMESPACE));
              if (existing != null
                  && existing.name().equals(spec.name())
                  && existing.type() == spec.type()) {
                return unchanged(earlier);
              }
              throw duplicate(spec.creatorRequestId(), earlier);
            }
          }
          String wanted = canonical(spec.name());
          for (Namespace existing : working.namespaces().values()) {
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
          return stored(
              operation,
              new Change.NamespacePut(namespace),
              new Change.TagsSet(id, tags),
              new Change.OperationAdded(operation));
        });
  }

  /** Changes a namespace's description and SOA TTL; a retried UpdaterRequestId is answered once. */
  public Operation updateNamespace(String namespaceId, NamespaceChange change) {
    return write(
        () -> {
          Namespace current = requireNamespace(namespaceId);
          RegistryRules.checkNamespaceChange(change, current);
          if (change.requestId() != null) {
            Operation earlier = retried(OperationType.UPDATE_NAMESPACE, change.requestId());
            if (earlier != null) {
              if (current.id().equals(earlier.target(OperationTarget.NAMESPACE))) {
                return unchanged(earlier);
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
          return stored(
              operation, new Change.NamespacePut(updated), new Change.OperationAdded(operation));
        });
  }

  public Operation deleteNamespace(String namespaceId) {
    return write(
        () -> {
          Namespace namespace = requireNamespace(namespaceId);
          if (!working.servicesIn(namespace.id()).isEmpty()) {
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
          return stored(
              operation,
              new Change.NamespaceRemoved(namespace.id()),
              new Change.OperationAdded(operation));
        });
  }

  public Service createService(ServiceSpec spec) {
    return createService(spec, Map.of());
  }

  /**
   * Creates a service with tags. A retry with the CreatorRequestId of an existing service of the
   * same name in the same namespace answers with that service.
   */
  public Service createService(ServiceSpec spec, Map<String, String> tags) {
    return write(
        () -> {
          Namespace namespace = requireNamespace(spec.namespaceId());
          RegistryRules.checkService(spec, namespace);
          String wanted = canonical(spec.name());
          for (ServiceEntry existing : working.servicesIn(namespace.id())) {
            Service service = existing.service();
            if (spec.creatorRequestId() != null
                && spec.creatorRequestId().equals(service.creatorRequestId())
                && service.name().equals(spec.name())) {
              return unchanged(service);
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
          return stored(service, new Change.ServicePut(service), new Change.TagsSet(id, tags));
        });
  }

  /**
   * Applies UpdateService. When the active health check changes, every instance starts over from
   * the status a new instance would have.
   */
  public Operation updateService(String serviceId, ServiceChange change) {
    return write(
        () -> {
          ServiceEntry entry = requireService(serviceId);
          Service current = entry.service();
          Namespace namespace = requireNamespace(current.namespaceId());
          DnsConfig dns = current.dnsConfig();
          if (change.records() != null) {
            if (dns == null) {
              throw RegistryException.invalid(
                  "Service "
                      + current.id()
                      + " has no DnsConfig; DnsConfig.DnsRecords cannot be set");
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
          Operation operation =
              operation(
                  OperationType.UPDATE_SERVICE,
                  Map.of(OperationTarget.SERVICE, current.id()),
                  null,
                  identity.regionOf(current.arn()));
          List<Change> changes = new ArrayList<>();
          changes.add(new Change.ServicePut(updated));
          if (!Objects.equals(current.healthCheckConfig(), updated.healthCheckConfig())) {
            for (RegisteredInstance registered : entry.instances().values()) {
              if (registered.instance().owner() == InstanceOwner.KUBERNETES) {
                continue; // readiness is its health, whatever the service checks
              }
              changes.add(
                  new Change.HealthSet(
                      current.id(),
                      registered.instance().id(),
                      updated.initialHealth(registered.instance(), initialCheckStatus)));
            }
          }
          changes.add(new Change.OperationAdded(operation));
          return new Outcome<>(operation, changes, true);
        });
  }

  public void deleteService(String serviceId) {
    write(
        () -> {
          ServiceEntry entry = requireService(serviceId);
          if (!entry.instances().isEmpty()) {
            throw new RegistryException(
                RegistryError.RESOURCE_IN_USE,
                "Service " + serviceId + " still has registered instances; deregister them first");
          }
          return stored(null, new Change.ServiceRemoved(entry.service().id()));
        });
  }

  /** Adds or replaces service attributes; at most 30 in all. */
  public void updateServiceAttributes(String serviceId, Map<String, String> attributes) {
    write(
        () -> {
          Service service = requireService(serviceId).service();
          Map<String, String> next = new LinkedHashMap<>(working.serviceAttributes(service.id()));
          next.putAll(attributes);
          RegistryRules.checkServiceAttributes(service.id(), next.size());
          return stored(null, new Change.ServiceAttributesSet(service.id(), next));
        });
  }

  /** Removes service attributes; keys that are not there are ignored. */
  public void deleteServiceAttributes(String serviceId, Collection<String> keys) {
    write(
        () -> {
          Service service = requireService(serviceId).service();
          Map<String, String> next = new LinkedHashMap<>(working.serviceAttributes(service.id()));
          next.keySet().removeAll(keys);
          return stored(null, new Change.ServiceAttributesSet(service.id(), next));
        });
  }

  /**
   * Registers an instance, or replaces the attributes of an instance with the same id (its health
   * status is kept).
   */
  public RegisteredInstance registerInstance(
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
  public Operation registerInstance(Registration registration) {
    return write(
        () -> {
          ServiceEntry entry = requireService(registration.serviceId());
          Service service = entry.service();
          String instanceId = registration.instanceId();
          RegistryRules.checkInstance(instanceId, registration.attributes(), service);
          RegisteredInstance previous = entry.instances().get(instanceId);
          RegistryRules.checkOwner(previous, registration.owner(), service.id());
          String requestId = registration.creatorRequestId();
          if (requestId != null) {
            Operation earlier = retried(OperationType.REGISTER_INSTANCE, requestId);
            if (earlier != null) {
              if (previous != null
                  && instanceId.equals(earlier.target(OperationTarget.INSTANCE))
                  && service.id().equals(earlier.target(OperationTarget.SERVICE))
                  && previous.instance().attributes().equals(registration.attributes())) {
                return unchanged(earlier);
              }
              throw duplicate(requestId, earlier);
            }
          }
          if (previous == null
              && entry.instances().size() >= RegistryRules.MAX_INSTANCES_PER_SERVICE) {
            throw new RegistryException(
                RegistryError.RESOURCE_LIMIT_EXCEEDED,
                "Service "
                    + service.id()
                    + " already has "
                    + RegistryRules.MAX_INSTANCES_PER_SERVICE
                    + " instances, the most one service may have");
          }
          Instance instance =
              new Instance(
                  instanceId,
                  registration.attributes(),
                  requestId,
                  clock.instant(),
                  registration.owner());
          HealthStatus health =
              previous != null
                  ? previous.health()
                  : service.initialHealth(instance, initialCheckStatus);
          Operation operation =
              operation(
                  OperationType.REGISTER_INSTANCE,
                  targets(service, instanceId),
                  requestId,
                  identity.regionOf(service.arn()));
          return stored(
              operation,
              new Change.InstancePut(
                  service.id(),
                  new RegisteredInstance(instance, health),
                  entry.instancesRevision() + 1),
              new Change.OperationAdded(operation));
        });
  }

  public Operation deregisterInstance(String serviceId, String instanceId) {
    return deregisterInstance(serviceId, instanceId, InstanceOwner.API);
  }

  /** Deregisters an instance that {@code by} registered; refused for anyone else's. */
  public Operation deregisterInstance(String serviceId, String instanceId, InstanceOwner by) {
    return write(
        () -> {
          ServiceEntry entry = requireService(serviceId);
          RegisteredInstance current = entry.instances().get(instanceId);
          if (current == null) {
            throw new RegistryException(
                RegistryError.INSTANCE_NOT_FOUND,
                "Instance " + instanceId + " is not registered in service " + serviceId);
          }
          Service service = entry.service();
          RegistryRules.checkOwner(current, by, service.id());
          Operation operation =
              operation(
                  OperationType.DEREGISTER_INSTANCE,
                  targets(service, instanceId),
                  null,
                  identity.regionOf(service.arn()));
          return stored(
              operation,
              new Change.InstanceRemoved(service.id(), instanceId, entry.instancesRevision() + 1),
              new Change.OperationAdded(operation));
        });
  }

  /**
   * Sets the health status an active check found; a no-op when the instance already has it. Such a
   * status is published but not stored: after a restart the checks find it again.
   *
   * @return whether the status changed
   */
  public boolean updateHealth(String serviceId, String instanceId, HealthStatus status) {
    return write(() -> health(serviceId, instanceId, status, InstanceOwner.API, false));
  }

  /**
   * Sets the health of an instance the Kubernetes watcher registered: its pod's readiness. Stored,
   * so a restart starts from it; refused for instances registered through the API.
   *
   * @return whether the status changed
   */
  public boolean updateReadiness(String serviceId, String instanceId, HealthStatus status) {
    return write(() -> health(serviceId, instanceId, status, InstanceOwner.KUBERNETES, true));
  }

  /**
   * UpdateInstanceCustomHealthStatus: only for services with HealthCheckCustomConfig. The status is
   * stored.
   *
   * @return whether the status changed
   */
  public boolean updateCustomHealth(String serviceId, String instanceId, HealthStatus status) {
    return write(
        () -> {
          Service service = requireService(serviceId).service();
          if (service.healthCheckCustomConfig() == null) {
            throw new RegistryException(
                RegistryError.CUSTOM_HEALTH_NOT_FOUND,
                "Service " + serviceId + " has no HealthCheckCustomConfig");
          }
          return health(service.id(), instanceId, status, InstanceOwner.API, true);
        });
  }

  private Outcome<Boolean> health(
      String serviceId, String instanceId, HealthStatus status, InstanceOwner by, boolean durable) {
    ServiceEntry entry = requireService(serviceId);
    RegisteredInstance current = entry.instances().get(instanceId);
    if (current == null) {
      throw new RegistryException(
          RegistryError.INSTANCE_NOT_FOUND,
          "Instance " + instanceId + " is not registered in service " + serviceId);
    }
    RegistryRules.checkOwner(current, by, entry.service().id());
    if (current.health() == status) {
      return unchanged(false);
    }
    Change change = new Change.HealthSet(entry.service().id(), instanceId, status);
    return new Outcome<>(true, List.of(change), durable);
  }

  /** Adds or replaces tags on the namespace or service with this ARN; at most 50 in all. */
  public void tagResource(String arn, Map<String, String> tags) {
    write(
        () -> {
          String id = requireTaggable(working, arn);
          Map<String, String> next = new LinkedHashMap<>(working.tags(id));
          next.putAll(tags);
          RegistryRules.checkTags(arn, next.size());
          return stored(null, new Change.TagsSet(id, next));
        });
  }

  /** Removes tags from the namespace or service with this ARN; absent keys are ignored. */
  public void untagResource(String arn, Collection<String> keys) {
    write(
        () -> {
          String id = requireTaggable(working, arn);
          Map<String, String> next = new LinkedHashMap<>(working.tags(id));
          next.keySet().removeAll(keys);
          return stored(null, new Change.TagsSet(id, next));
        });
  }

  /** The id of the namespace or service with this ARN. */
  public String requireTaggable(String arn) {
    return requireTaggable(state, arn);
  }

  private static String requireTaggable(RegistryState current, String arn) {
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
    return working.operationFor(type, requestId).orElse(null);
  }

  private static RegistryException duplicate(String requestId, Operation earlier) {
    return new RegistryException(
        RegistryError.DUPLICATE_REQUEST,
        "Request id "
            + requestId
            + " was already used for a different request (operation "
            + earlier.id()
            + ")",
        earlier.id());
  }

  private Namespace requireNamespace(String namespaceId) {
    return working
        .namespace(namespaceId)
        .orElseThrow(
            () ->
                new RegistryException(
                    RegistryError.NAMESPACE_NOT_FOUND, "Namespace " + namespaceId + " not found"));
  }

  private ServiceEntry requireService(String serviceId) {
    return working
        .service(serviceId)
        .orElseThrow(
            () ->
                new RegistryException(
                    RegistryError.SERVICE_NOT_FOUND, "Service " + serviceId + " not found"));
  }

  /**
   * Decides a command under the monitor and, when it changes anything, queues its changes and waits
   * until they are committed and published. A command that changes nothing (a retry, a status the
   * instance already has) still waits for the commands decided before it, so that its answer never
   * rests on something not yet durable.
   */
  private <T> T write(Supplier<Outcome<T>> command) {
    Outcome<T> outcome;
    Pending pending;
    synchronized (this) {
      outcome = command.get();
      if (outcome.changes().isEmpty()) {
        pending = lastDecided;
      } else {
        RegistryState next = working.apply(outcome.changes()).withVersion(working.version() + 1);
        working = next;
        pending =
            new Pending(
                next,
                new ChangeSet(next.version(), outcome.durable() ? outcome.changes() : List.of()));
        queue.addLast(pending);
        lastDecided = pending;
      }
    }
    if (pending != null) {
      commitThrough(pending);
    }
    return outcome.value();
  }

  /** Returns once {@code pending} is published; commits everything queued if no one else does. */
  private void commitThrough(Pending pending) {
    commitLock.lock();
    try {
      if (!pending.done) {
        List<Pending> batch;
        synchronized (this) {
          batch = new ArrayList<>(queue);
          queue.clear();
        }
        commit(batch);
      }
      if (pending.failure != null) {
        throw pending.failure;
      }
    } finally {
      commitLock.unlock();
    }
  }

  /** Commits one batch and publishes its last state. Runs under the commit lock. */
  private void commit(List<Pending> batch) {
    List<ChangeSet> stored = new ArrayList<>(batch.size());
    for (Pending pending : batch) {
      if (!pending.changes.changes().isEmpty()) {
        stored.add(pending.changes);
      }
    }
    try {
      if (!stored.isEmpty()) {
        store.commit(stored);
      }
    } catch (RuntimeException e) {
      RegistryStoreException failure =
          e instanceof RegistryStoreException known
              ? known
              : new RegistryStoreException("the registry store failed: " + e.getMessage(), e);
      List<Pending> refused = new ArrayList<>(batch);
      synchronized (this) {
        // Everything decided since was decided against the changes that were just lost.
        refused.addAll(queue);
        queue.clear();
        working = state;
        lastDecided = null;
      }
      LOG.error(
          "registry store failed; {} commands refused, registry stays at version {}",
          refused.size(),
          state.version(),
          e);
      for (Pending pending : refused) {
        pending.done = true;
        pending.failure = failure;
      }
      return;
    }
    // Listeners see the batch's last state: it contains every change of the batch, and publishing
    // once per batch keeps the DNS projection's work per commit, not per command.
    RegistryState last = batch.get(batch.size() - 1).state;
    state = last;
    for (Pending pending : batch) {
      pending.done = true;
    }
    for (RegistryListener listener : listeners) {
      try {
        listener.onChange(last);
      } catch (RuntimeException e) {
        // A bug in one listener must not fail commands that are already durable.
        LOG.error("registry listener {} failed at version {}", listener, last.version(), e);
      }
    }
  }

  /** What a command decided: its answer, and the changes that make it (none for a no-op). */
  private record Outcome<T>(T value, List<Change> changes, boolean durable) {}

  private static <T> Outcome<T> unchanged(T value) {
    return new Outcome<>(value, List.of(), false);
  }

  private static <T> Outcome<T> stored(T value, Change... changes) {
    return new Outcome<>(value, List.of(changes), true);
  }

  /** A decided command on its way to the store. Its flags are guarded by the commit lock. */
  private static final class Pending {
    final RegistryState state;
    final ChangeSet changes;
    boolean done;
    RegistryStoreException failure;

    Pending(RegistryState state, ChangeSet changes) {
      this.state = state;
      this.changes = changes;
    }
  }

  /**
   * A loaded state with health as this registry derives it: active checks start over, custom
   * statuses are kept, and instances of services without checks are healthy. Only services with an
   * instance whose stored status differs are rebuilt.
   */
  private RegistryState withDerivedHealth(RegistryState loaded) {
    Map<String, ServiceEntry> services = new LinkedHashMap<>(loaded.services());
    boolean changed = false;
    for (ServiceEntry entry : loaded.services().values()) {
      Service service = entry.service();
      Map<String, RegisteredInstance> instances = null;
      for (RegisteredInstance registered : entry.instances().values()) {
        HealthStatus health = service.restoredHealth(registered, initialCheckStatus);
        if (health != registered.health()) {
          if (instances == null) {
            instances = new LinkedHashMap<>(entry.instances());
          }
          instances.put(registered.instance().id(), registered.withHealth(health));
        }
      }
      if (instances != null) {
        services.put(service.id(), new ServiceEntry(service, instances, entry.instancesRevision()));
        changed = true;
      }
    }
    return changed ? loaded.withServices(services) : loaded;
  }

  /** Names that differ only by case (or a trailing dot) are the same name in DNS. */
  static String canonical(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }
}
