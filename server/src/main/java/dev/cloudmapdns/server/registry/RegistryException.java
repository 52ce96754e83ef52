package dev.cloudmapdns.server.registry;

import java.util.Objects;

/** A refused registry command: the kind of failure and a message naming the field and the rule. */
public final class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final RegistryError error;

  public RegistryException(RegistryError error, String message) {
    super(message);
    this.error = Objects.requireNonNull(error, "error");
  }

  public RegistryError error() {
    return error;
  }

  static RegistryException invalid(String message) {
    return new RegistryException(RegistryError.INVALID_INPUT, message);
  }
}
