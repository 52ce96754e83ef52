package dev.cloudmapdns.server.registry;

/** Cloud Map's namespace types. Both DNS types become zones; HTTP namespaces are API-only. */
public enum NamespaceType {
  HTTP,
  DNS_PRIVATE,
  DNS_PUBLIC;

  public boolean isDns() {
    return this != HTTP;
  }
}
