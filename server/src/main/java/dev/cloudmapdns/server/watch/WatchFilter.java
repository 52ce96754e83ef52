package dev.cloudmapdns.server.watch;

import dev.cloudmapdns.server.registry.DnsNames;

/**
 * Which changes a watcher wants: every non-null field must match. Names compare as DNS does,
 * without regard to case or a trailing dot.
 */
public record WatchFilter(String namespaceName, String serviceId, String serviceName) {
  public static final WatchFilter ALL = new WatchFilter(null, null, null);

  boolean matches(WatchEvent event) {
    return matchesService(event.namespaceName(), event.serviceId(), event.serviceName());
  }

  /** Whether the changes of every instance of this service match. */
  boolean matchesService(String namespace, String id, String name) {
    return (namespaceName == null || canonical(namespaceName).equals(canonical(namespace)))
        && (serviceId == null || serviceId.equals(id))
        && (serviceName == null || canonical(serviceName).equals(canonical(name)));
  }

  private static String canonical(String name) {
    return name == null ? "" : DnsNames.canonical(name);
  }
}
