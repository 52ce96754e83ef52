package dev.cloudmapdns.dns.engine;

/**
 * Counts answered queries, for a metrics registry the server provides. Called by the transports
 * once per reply sent, on their own threads: implementations must not lock or allocate per call.
 */
public interface DnsQueryRecorder {
  /** Where a query came in. */
  enum Channel {
    UDP,
    TCP,
    GRPC
  }

  DnsQueryRecorder NONE = (channel, rcode, elapsedNanos) -> {};

  /**
   * One reply sent.
   *
   * @param rcode the reply's rcode (header bits, 0 to 15)
   * @param elapsedNanos from reading the query to handing the reply to the transport
   */
  void answered(Channel channel, int rcode, long elapsedNanos);
}
