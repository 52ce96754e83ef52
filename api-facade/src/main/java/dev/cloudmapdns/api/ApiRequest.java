package dev.cloudmapdns.api;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One HTTP request as the facade sees it: method, headers (names compared without regard to case)
 * and the raw body. Built by whatever HTTP server carries the API.
 */
public record ApiRequest(String method, String path, Map<String, String> headers, byte[] body) {
  public ApiRequest {
    Objects.requireNonNull(method, "method");
    path = path == null ? "/" : path;
    Map<String, String> folded = new TreeMap<>();
    headers.forEach((name, value) -> folded.put(name.toLowerCase(Locale.ROOT), value));
    headers = Map.copyOf(folded);
    body = body == null ? new byte[0] : body;
  }

  /** A {@code POST /} request, as every Cloud Map call is. */
  public static ApiRequest post(Map<String, String> headers, byte[] body) {
    return new ApiRequest("POST", "/", headers, body);
  }

  /** The header's value, or null; {@code name} in any case. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }
}
