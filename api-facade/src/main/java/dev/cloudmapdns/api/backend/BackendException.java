package dev.cloudmapdns.api.backend;

import java.util.Objects;

/** A refusal from the backend: its kind and a message for the caller, naming field and rule. */
public final class BackendException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final BackendFailure failure;

  public BackendException(BackendFailure failure, String message) {
    super(message);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  public BackendFailure failure() {
    return failure;
  }
}
