package dev.cloudmapdns.server.registry;

/**
 * An operation's state. The registry applies every change before answering, so the operations it
 * records are SUCCESS at once; the other states exist for clients that wait on them.
 */
public enum OperationStatus {
  SUBMITTED,
  PENDING,
  SUCCESS,
  FAIL
}
