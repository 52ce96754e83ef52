package dev.cloudmapdns.api.backend;

import java.io.Serializable;
import java.util.Objects;

/** A refusal from the backend: its kind and a message for the caller, naming field and rule. */
public final class BackendException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final BackendFailure failure;
  private final String duplicateOperationId;
  private final ExistingResource existing;

  /**
   * The namespace or service a creation collided with; sent to the client as the error's {@code
   * NamespaceId} or {@code ServiceId} and {@code ServiceArn}, and {@code CreatorRequestId}.
   *
   * @param arn the resource's ARN
   * @param creatorRequestId the request id it was created with, or null
   */
  public record ExistingResource(String id, String arn, String creatorRequestId)
      implements Serializable {
    public ExistingResource {
      Objects.requireNonNull(id, "id");
    }
  }

  public BackendException(BackendFailure failure, String message) {
    this(failure, message, null, null);
  }

  /**
   * @param duplicateOperationId for DUPLICATE_REQUEST, the earlier operation; sent to the client as
   *     {@code DuplicateOperationId}
   * @param existing for NAMESPACE_ALREADY_EXISTS and SERVICE_ALREADY_EXISTS, the resource that
   *     already exists
   */
  public BackendException(
      BackendFailure failure,
      String message,
      String duplicateOperationId,
      ExistingResource existing) {
    super(message);
    this.failure = Objects.requireNonNull(failure, "failure");
    this.duplicateOperationId = duplicateOperationId;
    this.existing = existing;
  }

  public String duplicateOperationId() {
    return duplicateOperationId;
  }

  /** The resource a creation collided with, or null. */
  public ExistingResource existing() {
    return existing;
  }

  public BackendFailure failure() {
    return failure;
  }
}
