package dev.cloudmapdns.server.app;

import dev.cloudmapdns.api.ApiSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The Cloud Map API ({@code cloudmap.api.*}), served on the HTTP server's {@code POST /}.
 *
 * @param maxRequestBytes request bodies larger than this are refused before they are parsed
 */
@ConfigurationProperties("cloudmap.api")
public record ApiConfiguration(@Bindable(defaultValue = "1048576") int maxRequestBytes) {
  ApiSettings settings() {
    return new ApiSettings(maxRequestBytes);
  }
}
