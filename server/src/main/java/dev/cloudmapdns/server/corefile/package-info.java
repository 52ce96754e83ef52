/**
 * The CoreDNS side, rendered: the Corefile block that sends the registry's current DNS namespaces
 * (or their parent domain) to this server's gRPC port, served at {@code GET /coredns/corefile} and
 * printed by the {@code corefile} command.
 */
package dev.cloudmapdns.server.corefile;
