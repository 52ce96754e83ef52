package dev.cloudmapdns.server.registry;

/** What an operation touched: a namespace, a service, an instance. */
public enum OperationTarget {
  NAMESPACE,
  SERVICE,
  INSTANCE
}
