package dev.cloudmapdns.server.app;

import dev.cloudmapdns.dns.listener.DnsListener;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The DNS side ({@code cloudmap.dns.*}): the embedded UDP/TCP listener and what every zone's SOA
 * and NS records name.
 *
 * @param listenerEnabled whether to run the embedded UDP/TCP listener
 * @param listenerHost the listener's bind address
 * @param listenerPort the listener's port (UDP and TCP); 0 picks a free one
 * @param listenerEventLoops the listener's event loops (on Linux, one UDP socket each); 0, the
 *     default, runs one per two cores and at least one
 * @param nameserver the name server in SOA and NS records
 * @param hostmaster the responsible mailbox in SOA records, as a domain name
 * @param failOpen Route 53's behaviour when every instance of a service is unhealthy: answer the
 *     unhealthy ones rather than none (the default, which answers NODATA)
 */
@ConfigurationProperties("cloudmap.dns")
public record DnsConfiguration(
    @Bindable(defaultValue = "true") boolean listenerEnabled,
    @Bindable(defaultValue = "127.0.0.1") String listenerHost,
    @Bindable(defaultValue = "8053") int listenerPort,
    @Bindable(defaultValue = "0") int listenerEventLoops,
    @Bindable(defaultValue = "ns.cloudmap-dns.") String nameserver,
    @Bindable(defaultValue = "hostmaster.cloudmap-dns.") String hostmaster,
    @Bindable(defaultValue = "false") boolean failOpen) {

  /** The listener's event loops: as configured, or {@link DnsListener#defaultLoops()} for 0. */
  int eventLoops() {
    if (listenerEventLoops < 0) {
      throw new ConfigurationException(
          "cloudmap.dns.listener-event-loops must be 0 (the default: one per two cores) or more,"
              + " not "
              + listenerEventLoops);
    }
    return listenerEventLoops == 0 ? DnsListener.defaultLoops() : listenerEventLoops;
  }
}
