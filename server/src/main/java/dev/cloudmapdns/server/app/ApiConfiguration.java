package dev.cloudmapdns.server.app;

import dev.cloudmapdns.api.ApiSettings;
import dev.cloudmapdns.api.throttle.RequestRate;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Cloud Map API ({@code cloudmap.api.*}), served on the HTTP server's {@code POST /}.
 *
 * @param maxRequestBytes request bodies larger than this are refused before they are parsed
 * @param sigv4Credentials {@code ACCESS_KEY_ID:SECRET_ACCESS_KEY} pairs; when any is given, every
 *     request must be SigV4-signed by one of them. None (the default) accepts every request.
 * @param clientRate API calls per second each client may make on average (per access key when
 *     signed, else per address); above it, calls are answered ThrottlingException. 0: no limit
 * @param clientBurst calls a client may make at once above its rate
 */
@ConfigurationProperties("cloudmap.api")
public record ApiConfiguration(
    @Bindable(defaultValue = "1048576") int maxRequestBytes,
    @Nullable List<String> sigv4Credentials,
    @Bindable(defaultValue = "2000") double clientRate,
    @Bindable(defaultValue = "4000") int clientBurst) {
  ApiSettings settings() {
    Map<String, String> secrets = new LinkedHashMap<>();
    if (sigv4Credentials != null) {
      for (String pair : sigv4Credentials) {
        int colon = pair.indexOf(':');
        if (colon < 1 || colon == pair.length() - 1) {
          throw new ConfigurationException(
              "cloudmap.api.sigv4-credentials: expected ACCESS_KEY_ID:SECRET_ACCESS_KEY pairs");
        }
        secrets.put(pair.substring(0, colon), pair.substring(colon + 1));
      }
    }
    try {
      return new ApiSettings(
          maxRequestBytes, secrets, new RequestRate(clientRate, clientRate == 0 ? 0 : clientBurst));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("cloudmap.api: " + e.getMessage());
    }
  }
}
