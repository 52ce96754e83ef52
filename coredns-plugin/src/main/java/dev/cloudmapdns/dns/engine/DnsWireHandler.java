package dev.cloudmapdns.dns.engine;

import java.io.IOException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * The edge between bytes and the answer engine, shared by every transport: parses, answers, renders
 * within the transport's size limit, and turns every failure into a DNS rcode so that no exception
 * ever reaches a transport.
 */
public final class DnsWireHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DnsWireHandler.class);

  private final DnsAnswerEngine engine;

  public DnsWireHandler(DnsAnswerEngine engine) {
    this.engine = engine;
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
      return new DnsReply.Answered(reply.toWire(transport.replyLimit(query.getOPT())));
    } catch (RuntimeException e) {
      LOG.error("internal error answering {}", query.getQuestion(), e);
      Message reply = DnsAnswerEngine.replyTo(header);
      if (query.getQuestion() != null) {
        reply.addRecord(query.getQuestion(), org.xbill.DNS.Section.QUESTION);
      }
      return new DnsReply.Answered(
          DnsAnswerEngine.withRcode(reply, Rcode.SERVFAIL).toWire(Transport.STREAM_LIMIT));
    }
  }

  private static DnsReply error(Header queryHeader, int rcode) {
    Message reply = DnsAnswerEngine.withRcode(DnsAnswerEngine.replyTo(queryHeader), rcode);
    return new DnsReply.Answered(reply.toWire(Transport.STREAM_LIMIT));
  }
}
