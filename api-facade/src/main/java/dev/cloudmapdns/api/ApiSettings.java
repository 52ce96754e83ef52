package dev.cloudmapdns.api;

import dev.cloudmapdns.api.throttle.RequestRate;
import java.util.Map;
import java.util.Objects;

/**
 * How the facade treats requests.
 *
 * @param maxRequestBytes bodies larger than this are refused before they are parsed
 * @param sigV4Secrets access key id to secret access key; when not empty, every request must carry
 *     a valid SigV4 signature by one of them. Empty (the default) accepts any request, signed or
 *     not, without checking: the usual local setup.
 * @param clientRate the calls each client may make (per access key for signed requests, else per
 *     address); a client above it is answered {@code ThrottlingException}. Unlimited by default.
 */
public record ApiSettings(
    int maxRequestBytes, Map<String, String> sigV4Secrets, RequestRate clientRate) {
  /** One MiB: far above any valid Cloud Map request, far below what could hurt the server. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 1 << 20;

  public ApiSettings {
    if (maxRequestBytes < 1) {
      throw new IllegalArgumentException("maxRequestBytes must be positive");
    }
    sigV4Secrets = Map.copyOf(sigV4Secrets);
    Objects.requireNonNull(clientRate, "clientRate");
  }

  public ApiSettings(int maxRequestBytes, Map<String, String> sigV4Secrets) {
    this(maxRequestBytes, sigV4Secrets, RequestRate.unlimited());
  }

  public ApiSettings(int maxRequestBytes) {
    this(maxRequestBytes, Map.of());
  }

  public static ApiSettings defaults() {
    return new ApiSettings(DEFAULT_MAX_REQUEST_BYTES);
  }
}
