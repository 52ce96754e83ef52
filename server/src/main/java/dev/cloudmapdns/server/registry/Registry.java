package dev.cloudmapdns.server.registry;

import java.time.Clock;
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
    RegistryRules.checkNamespace(spec);
    String wanted = canonical(spec.name());
    for (Namespace existing : state.namespaces().values()) {
      if (canonical(existing.name()).equals(wanted)) {
        throw new RegistryException(
            RegistryError.NAMESPACE_ALREADY_EXISTS,
            "Namespace " + spec.name() + " already exists (" + existing.id() + ")");
      }
    }
    String id = identity.newNamespaceId();
    Namespace namespace =
        new Namespace(
            id,
            identity.namespaceArn(id),
            spec.name(),
            spec.type(),
            spec.description(),
            spec.soaTtl() == null ? Namespace.DEFAULT_SOA_TTL : spec.soaTtl(),
            spec.vpc(),
            spec.creatorRequestId(),
            clock.instant());
    publish(state.withNamespace(namespace));
    return namespace;
  }

  public synchronized void deleteNamespace(String namespaceId) {
    Namespace namespace = requireNamespace(namespaceId);
    if (!state.servicesIn(namespace.id()).isEmpty()) {
      throw new RegistryException(
          RegistryError.RESOURCE_IN_USE,
          "Namespace " + namespaceId + " still has services; delete them first");
    }
    publish(state.withoutNamespace(namespace.id()));
  }

  public synchronized Service createService(ServiceSpec spec) {
    Namespace namespace = requireNamespace(spec.namespaceId());
    RegistryRules.checkService(spec, namespace);
    String wanted = canonical(spec.name());
    for (ServiceEntry existing : state.servicesIn(namespace.id())) {
      if (canonical(existing.service().name()).equals(wanted)) {
        throw new RegistryException(
            RegistryError.SERVICE_ALREADY_EXISTS,
            "Service "
                + spec.name()
                + " already exists in namespace "
                + namespace.name()
                + " ("
                + existing.service().id()
                + ")");
      }
    }
    String id = identity.newServiceId();
    Service service =
        new Service(
            id,
            identity.serviceArn(id),
            spec.name(),
            namespace.id(),
            spec.description(),
            spec.dnsConfig(),
            spec.healthCheckConfig(),
            spec.healthCheckCustomConfig(),
            spec.creatorRequestId(),
            clock.instant());
    publish(state.withService(ServiceEntry.empty(service)));
    return service;
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

  /**
   * Registers an instance, or replaces the attributes of an instance with the same id (its health
   * status is kept).
   */
  public synchronized RegisteredInstance registerInstance(
      String serviceId,
      String instanceId,
      Map<String, String> attributes,
      String creatorRequestId) {
    ServiceEntry entry = requireService(serviceId);
    Service service = entry.service();
    RegistryRules.checkInstance(instanceId, attributes, service);
    Instance instance = new Instance(instanceId, attributes, creatorRequestId, clock.instant());
    RegisteredInstance previous = entry.instances().get(instanceId);
    HealthStatus health =
        previous != null ? previous.health() : service.initialHealth(instance, initialCheckStatus);
    RegisteredInstance registered = new RegisteredInstance(instance, health);
    publish(state.withService(entry.withInstance(registered, entry.instancesRevision() + 1)));
    return registered;
  }

  public synchronized void deregisterInstance(String serviceId, String instanceId) {
    ServiceEntry entry = requireService(serviceId);
    if (!entry.instances().containsKey(instanceId)) {
      throw new RegistryException(
          RegistryError.INSTANCE_NOT_FOUND,
          "Instance " + instanceId + " is not registered in service " + serviceId);
    }
    publish(state.withService(entry.withoutInstance(instanceId, entry.instancesRevision() + 1)));
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

  private void publish(RegistryState next) {
    state = next;
    for (RegistryListener listener : listeners) {
      listener.onChange(next);
    }
  }

  /** Names that differ only by case (or a trailing dot) are the same name in DNS. */
  private static String canonical(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }
}
