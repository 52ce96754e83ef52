package dev.cloudmapdns.server.registry;

import java.util.Objects;

/** A refused registry command: the kind of failure and a message naming the field and the rule. */
public final class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final RegistryError error;
  private final String duplicateOperationId;

  public RegistryException(RegistryError error, String message) {
    this(error, message, null);
  }

  /** A refusal that names the earlier operation the request duplicates. */
  RegistryException(RegistryError error, String message, String duplicateOperationId) {
    super(message);
    this.error = Objects.requireNonNull(error, "error");
    this.duplicateOperationId = duplicateOperationId;
  }

  /** For DUPLICATE_REQUEST: the operation made earlier with the same request id, or null. */
  public String duplicateOperationId() {
    return duplicateOperationId;
  }

  public RegistryError error() {
    return error;
  }

  static RegistryException invalid(String message) {
    return new RegistryException(RegistryError.INVALID_INPUT, message);
  }
}
