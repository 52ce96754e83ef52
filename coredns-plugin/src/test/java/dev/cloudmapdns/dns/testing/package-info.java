/**
 * Test fixtures shared through this module's test-jar: small builders for zones and queries, and a
 * client that treats our gRPC replies exactly as CoreDNS's {@code grpc} plugin does, so that every
 * module can test "what CoreDNS would answer" without running CoreDNS.
 */
package dev.cloudmapdns.dns.testing;
