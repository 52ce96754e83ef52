package dev.cloudmapdns.dns.engine;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * The edge between bytes and the answer engine, shared by every transport: parses, answers, renders
 * within the transport's size limit, and turns every failure into a DNS rcode so that no exception
 * ever reaches a transport.
 */
public final class DnsWireHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DnsWireHandler.class);

  private final DnsAnswerEngine engine;
  private final Optional<DnsForwarder> forwarder;

  public DnsWireHandler(DnsAnswerEngine engine) {
    this(engine, Optional.empty());
  }

  /** With a forwarder, names outside every zone are forwarded instead of refused. */
  public DnsWireHandler(DnsAnswerEngine engine, Optional<DnsForwarder> forwarder) {
    this.engine = engine;
    this.forwarder = forwarder;
  }

  public DnsReply handle(byte[] wire, Transport transport) {
    if (wire.length < Header.LENGTH) {
      return new DnsReply.Unreadable("a DNS message needs at least a 12-byte header");
    }
    Header header;
    try {
      header = new Header(Arrays.copyOf(wire, Header.LENGTH));
    } catch (IOException e) {
      return new DnsReply.Unreadable("unreadable DNS header");
    }
    if (header.getFlag(Flags.QR)) {
      return new DnsReply.Unreadable("the packet is a response, not a query");
    }
    Message query;
    try {
      query = new Message(wire);
    } catch (IOException | RuntimeException e) {
      return error(header, Rcode.FORMERR);
    }
    try {
      Message reply = engine.answer(query);
      if (forwarder.isPresent() && DnsAnswerEngine.refusedOutsideEveryZone(query, reply)) {
        return forward(forwarder.get(), query, transport);
      }
      return new DnsReply.Answered(reply.toWire(transport.replyLimit(query.getOPT())));
    } catch (RuntimeException e) {
      LOG.error("internal error answering {}", query.getQuestion(), e);
      Message reply = DnsAnswerEngine.replyTo(header);
      if (query.getQuestion() != null) {
        reply.addRecord(query.getQuestion(), Section.QUESTION);
      }
      return new DnsReply.Answered(
          DnsAnswerEngine.withRcode(reply, Rcode.SERVFAIL).toWire(Transport.STREAM_LIMIT));
    }
  }

  /**
   * The upstream's reply, relayed with the client's ID and question (spelling included), within the
   * client's transport limit; SERVFAIL when no upstream answered.
   */
  private static DnsReply forward(DnsForwarder forwarder, Message query, Transport transport) {
    int limit = transport.replyLimit(query.getOPT());
    return new DnsReply.Forwarded(
        forwarder
            .forward(query)
            .handle(
                (upstream, failure) -> {
                  Message reply;
                  if (failure == null && upstream != null) {
                    reply = upstream;
                    reply.getHeader().setID(query.getHeader().getID());
                    reply.removeAllRecords(Section.QUESTION);
                    reply.addRecord(query.getQuestion(), Section.QUESTION);
                    if (query.getOPT() == null && reply.getOPT() != null) {
                      // the forwarder asked with EDNS; a client that did not must not see it
                      reply.removeRecord(reply.getOPT(), Section.ADDITIONAL);
                    }
                  } else {
                    LOG.debug("forwarding {} failed: {}", query.getQuestion(), failure);
                    reply = DnsAnswerEngine.replyTo(query.getHeader());
                    reply.addRecord(query.getQuestion(), Section.QUESTION);
                    DnsAnswerEngine.withRcode(reply, Rcode.SERVFAIL);
                  }
                  return new DnsReply.Answered(reply.toWire(limit));
                }));
  }

  private static DnsReply error(Header queryHeader, int rcode) {
    Message reply = DnsAnswerEngine.withRcode(DnsAnswerEngine.replyTo(queryHeader), rcode);
    return new DnsReply.Answered(reply.toWire(Transport.STREAM_LIMIT));
  }
}
