package dev.cloudmapdns.server.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One immutable version of the whole registry. Readers hold on to a state as long as they like; a
 * write produces a new state with a higher {@code version}, sharing every unchanged entry.
 */
public final class RegistryState {
  private static final RegistryState EMPTY = new RegistryState(0, Map.of(), Map.of());

  private final long version;
  private final Map<String, Namespace> namespaces;
  private final Map<String, ServiceEntry> services;

  private RegistryState(
      long version, Map<String, Namespace> namespaces, Map<String, ServiceEntry> services) {
    this.version = version;
    this.namespaces = namespaces;
    this.services = services;
  }

  public static RegistryState empty() {
    return EMPTY;
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

  public Optional<Namespace> namespace(String id) {
    return Optional.ofNullable(namespaces.get(id));
  }

  public Optional<ServiceEntry> service(String id) {
    return Optional.ofNullable(services.get(id));
  }

  /** The services of one namespace, in creation order. */
  public List<ServiceEntry> servicesIn(String namespaceId) {
    return services.values().stream()
        .filter(entry -> entry.service().namespaceId().equals(namespaceId))
        .toList();
  }

  RegistryState withNamespace(Namespace namespace) {
    Map<String, Namespace> next = new LinkedHashMap<>(namespaces);
    next.put(namespace.id(), namespace);
    return new RegistryState(version + 1, Collections.unmodifiableMap(next), services);
  }

  RegistryState withoutNamespace(String namespaceId) {
    Map<String, Namespace> next = new LinkedHashMap<>(namespaces);
    next.remove(namespaceId);
    return new RegistryState(version + 1, Collections.unmodifiableMap(next), services);
  }

  RegistryState withService(ServiceEntry entry) {
    Map<String, ServiceEntry> next = new LinkedHashMap<>(services);
    next.put(entry.service().id(), entry);
    return new RegistryState(version + 1, namespaces, Collections.unmodifiableMap(next));
  }

  RegistryState withoutService(String serviceId) {
    Map<String, ServiceEntry> next = new LinkedHashMap<>(services);
    next.remove(serviceId);
    return new RegistryState(version + 1, namespaces, Collections.unmodifiableMap(next));
  }
}
