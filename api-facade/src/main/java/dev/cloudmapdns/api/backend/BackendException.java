package dev.cloudmapdns.api.backend;

import java.util.Objects;

/** A refusal from the backend: its kind and a message for the caller, naming field and rule. */
public final class BackendException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final BackendFailure failure;
  private final String duplicateOperationId;

  public BackendException(BackendFailure failure, String message) {
    this(failure, message, null);
  }

  /**
   * @param duplicateOperationId for DUPLICATE_REQUEST, the earlier operation; sent to the client as
   *     {@code DuplicateOperationId}
   */
  public BackendException(BackendFailure failure, String message, String duplicateOperationId) {
    super(message);
    this.failure = Objects.requireNonNull(failure, "failure");
    this.duplicateOperationId = duplicateOperationId;
  }

  public String duplicateOperationId() {
    return duplicateOperationId;
  }

  public BackendFailure failure() {
    return failure;
  }
}
