package dev.cloudmapdns.server.registry;

/** The kinds of asynchronous change Cloud Map reports as operations. */
public enum OperationType {
  CREATE_NAMESPACE,
  DELETE_NAMESPACE,
  UPDATE_NAMESPACE,
  UPDATE_SERVICE,
  REGISTER_INSTANCE,
  DEREGISTER_INSTANCE
}
