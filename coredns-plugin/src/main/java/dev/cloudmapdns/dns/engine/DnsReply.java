package dev.cloudmapdns.dns.engine;

import java.util.concurrent.CompletionStage;

/**
 * What became of a packet: a DNS reply to send, a reply still on its way from an upstream, or a
 * reason it could not be read at all.
 */
public sealed interface DnsReply {
  /** A reply in wire format. */
  record Answered(byte[] wire) implements DnsReply {
    /** The reply's rcode (the header's four bits), read without parsing the message. */
    public int rcode() {
      return wire.length > 3 ? wire[3] & 0xF : 0;
    }
  }

  /**
   * A reply that comes later: the name is outside every zone and the query went to an upstream
   * resolver ({@link DnsForwarder}). The stage always completes normally (SERVFAIL when every
   * upstream failed).
   */
  record Forwarded(CompletionStage<Answered> reply) implements DnsReply {}

  /**
   * No reply is possible: the header could not be read, or the packet is itself a response. UDP
   * drops it; gRPC reports INVALID_ARGUMENT.
   */
  record Unreadable(String reason) implements DnsReply {}
}
