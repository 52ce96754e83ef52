package dev.cloudmapdns.dns.engine;

import org.xbill.DNS.OPTRecord;

/** How a reply travels, which decides how large it may be. */
public enum Transport {
  /**
   * Plain UDP: 512 bytes, or the EDNS payload the client offers (at most {@link
   * DnsAnswerEngine#MAX_UDP_PAYLOAD}); a larger reply is truncated with TC set.
   */
  UDP,
  /** TCP and gRPC: up to 65,535 bytes and never TC (CoreDNS truncates for its UDP clients). */
  STREAM;

  static final int CLASSIC_UDP_LIMIT = 512;
  static final int STREAM_LIMIT = 65_535;

  int replyLimit(OPTRecord queryOpt) {
    return queryOpt == null ? replyLimit(false, 0) : replyLimit(true, queryOpt.getPayloadSize());
  }

  /** The limit for a query with or without EDNS, offering {@code offered} bytes if with. */
  int replyLimit(boolean edns, int offered) {
    if (this == STREAM) {
      return STREAM_LIMIT;
    }
    if (!edns) {
      return CLASSIC_UDP_LIMIT;
    }
    return Math.max(CLASSIC_UDP_LIMIT, Math.min(offered, DnsAnswerEngine.MAX_UDP_PAYLOAD));
  }
}
