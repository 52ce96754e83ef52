package dev.cloudmapdns.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The facade's answer: HTTP status, headers and body bytes. */
public record ApiResponse(int status, Map<String, String> headers, byte[] body) {
  public ApiResponse {
    headers = Map.copyOf(headers);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
