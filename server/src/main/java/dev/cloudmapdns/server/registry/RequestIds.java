package dev.cloudmapdns.server.registry;

/**
 * Idempotency by CreatorRequestId and UpdaterRequestId: a retry of the same request answers with
 * the operation recorded the first time; any other reuse of the id is a duplicate.
 */
final class RequestIds {
  private RequestIds() {}

  /** The earlier operation of this type made with this request id, or null (also for none). */
  static Operation earlier(RegistryState state, OperationType type, String requestId) {
    return requestId == null ? null : state.operationFor(type, requestId).orElse(null);
  }

  static RegistryException duplicate(String requestId, Operation earlier) {
    return new RegistryException(
        RegistryError.DUPLICATE_REQUEST,
        "Request id "
            + requestId
            + " was already used for a different request (operation "
            + earlier.id()
            + ")",
        earlier.id());
  }
}
