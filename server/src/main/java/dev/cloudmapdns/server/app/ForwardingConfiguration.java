package dev.cloudmapdns.server.app;

import dev.cloudmapdns.dns.forward.Upstream;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.List;

/**
 * Forwarding of names outside every namespace ({@code cloudmap.dns.forwarders}, {@code
 * cloudmap.dns.forward-timeout}); off unless forwarders are given, when such names answer REFUSED.
 *
 * @param forwarders upstream resolvers, asked in order: {@code host:port}, {@code host} (port 53),
 *     {@code [v6]:port}, or {@code resolv.conf} (the host's {@code /etc/resolv.conf}) or a path
 *     ending in {@code resolv.conf}
 * @param forwardTimeout how long one upstream may take before the next is asked
 */
@ConfigurationProperties("cloudmap.dns")
public record ForwardingConfiguration(
    @Nullable List<String> forwarders, @Bindable(defaultValue = "2s") Duration forwardTimeout) {

  /** The upstreams, in order; empty when forwarding is off. */
  List<Upstream> upstreams() {
    if (forwardTimeout.isNegative() || forwardTimeout.isZero()) {
      throw new ConfigurationException("cloudmap.dns.forward-timeout must be positive");
    }
    try {
      return forwarders == null ? List.of() : Upstream.parseAll(forwarders);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(e.getMessage());
    }
  }
}
