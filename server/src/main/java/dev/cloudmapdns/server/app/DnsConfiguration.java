package dev.cloudmapdns.server.app;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The DNS side ({@code cloudmap.dns.*}): the embedded UDP/TCP listener and what every zone's SOA
 * and NS records name.
 *
 * @param listenerEnabled whether to run the embedded UDP/TCP listener
 * @param listenerHost the listener's bind address
 * @param listenerPort the listener's port (UDP and TCP); 0 picks a free one
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
    @Bindable(defaultValue = "ns.cloudmap-dns.") String nameserver,
    @Bindable(defaultValue = "hostmaster.cloudmap-dns.") String hostmaster,
    @Bindable(defaultValue = "false") boolean failOpen) {}
