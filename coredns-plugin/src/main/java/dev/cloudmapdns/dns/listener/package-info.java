/**
 * The embedded UDP and TCP DNS listener (Netty), for {@code dig} and for clients that do not go
 * through CoreDNS. It shares the wire handler and the answer engine with the gRPC service.
 */
package dev.cloudmapdns.dns.listener;
