package dev.cloudmapdns.api.protocol;

import java.util.Objects;

/**
 * A request the facade answers with an error: the AWS code that goes into {@code __type}, the
 * message, and the HTTP status (400 for everything a client did, as AWS answers).
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final int status;

  public ApiException(String code, String message) {
    this(400, code, message);
  }

  public ApiException(int status, String code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
    this.status = status;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  public static ApiException invalidInput(String message) {
    return new ApiException("InvalidInput", message);
  }

  public static ApiException serialization(String message) {
    return new ApiException("SerializationException", message);
  }
}
