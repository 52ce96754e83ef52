package dev.cloudmapdns.api;

/**
 * How the facade treats requests.
 *
 * @param maxRequestBytes bodies larger than this are refused before they are parsed
 */
public record ApiSettings(int maxRequestBytes) {
  /** One MiB: far above any valid Cloud Map request, far below what could hurt the server. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 1 << 20;

  public ApiSettings {
    if (maxRequestBytes < 1) {
      throw new IllegalArgumentException("maxRequestBytes must be positive");
    }
  }

  public static ApiSettings defaults() {
    return new ApiSettings(DEFAULT_MAX_REQUEST_BYTES);
  }
}
