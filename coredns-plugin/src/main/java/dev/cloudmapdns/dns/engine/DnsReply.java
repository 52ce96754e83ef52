package dev.cloudmapdns.dns.engine;

/** What became of a packet: a DNS reply to send, or a reason it could not be read at all. */
public sealed interface DnsReply {
  /** A reply in wire format. */
  record Answered(byte[] wire) implements DnsReply {}

  /**
   * No reply is possible: the header could not be read, or the packet is itself a response. UDP
   * drops it; gRPC reports INVALID_ARGUMENT.
   */
  record Unreadable(String reason) implements DnsReply {}
}
