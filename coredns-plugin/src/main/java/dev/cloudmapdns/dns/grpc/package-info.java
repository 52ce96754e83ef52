/**
 * The gRPC faces of the DNS engine: CoreDNS's {@code DnsService} and the readable {@code DnsDebug}
 * API. Thin translations; the engine decides every answer.
 */
package dev.cloudmapdns.dns.grpc;
