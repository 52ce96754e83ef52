package dev.cloudmapdns.server.registry;

import java.io.Serializable;
import java.util.Objects;

/** A refused registry command: the kind of failure and a message naming the field and the rule. */
public final class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final RegistryError error;
  private final String duplicateOperationId;
  private final ExistingResource existing;

  /**
   * The resource a creation collided with (NAMESPACE_ALREADY_EXISTS, SERVICE_ALREADY_EXISTS), so
   * that a caller can adopt it instead of failing.
   *
   * @param creatorRequestId the request id it was created with, or null
   */
  public record ExistingResource(String id, String arn, String creatorRequestId)
      implements Serializable {
    public ExistingResource {
      Objects.requireNonNull(id, "id");
    }
  }

  public RegistryException(RegistryError error, String message) {
    this(error, message, null, null);
  }

  /** A refusal that names the earlier operation the request duplicates. */
  RegistryException(RegistryError error, String message, String duplicateOperationId) {
    this(error, message, duplicateOperationId, null);
  }

  private RegistryException(
      RegistryError error, String message, String duplicateOperationId, ExistingResource existing) {
    super(message);
    this.error = Objects.requireNonNull(error, "error");
    this.duplicateOperationId = duplicateOperationId;
    this.existing = existing;
  }

  /** A creation refused because {@code namespace} already has the name. */
  static RegistryException namespaceExists(String message, Namespace namespace) {
    return new RegistryException(
        RegistryError.NAMESPACE_ALREADY_EXISTS,
        message,
        null,
        new ExistingResource(namespace.id(), namespace.arn(), namespace.creatorRequestId()));
  }

  /** A creation refused because {@code service} already has the name in its namespace. */
  static RegistryException serviceExists(String message, Service service) {
    return new RegistryException(
        RegistryError.SERVICE_ALREADY_EXISTS,
        message,
        null,
        new ExistingResource(service.id(), service.arn(), service.creatorRequestId()));
  }

  /** For DUPLICATE_REQUEST: the operation made earlier with the same request id, or null. */
  public String duplicateOperationId() {
    return duplicateOperationId;
  }

  /** For NAMESPACE_ALREADY_EXISTS and SERVICE_ALREADY_EXISTS: the existing resource, or null. */
  public ExistingResource existing() {
    return existing;
  }

  public RegistryError error() {
    return error;
  }

  static RegistryException invalid(String message) {
    return new RegistryException(RegistryError.INVALID_INPUT, message);
  }
}
