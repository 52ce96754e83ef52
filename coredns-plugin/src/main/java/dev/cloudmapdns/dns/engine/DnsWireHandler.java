package dev.cloudmapdns.dns.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * The edge between bytes and the answer engine, shared by every transport: parses, answers, renders
 * within the transport's size limit, and turns every failure into a DNS rcode so that no exception
 * ever reaches a transport.
 *
 * <p>A packet is parsed once, straight from the transport's buffer; only a packet whose body does
 * not parse has its header read again, on its own, to address the FORMERR.
 */
public final class DnsWireHandler {
  private static final DnsReply RESPONSE =
      new DnsReply.Unreadable("the packet is a response, not a query");

  private final DnsAnswerEngine engine;
  private final AnswerFailures failures;

  public DnsWireHandler(DnsAnswerEngine engine) {
    this(engine, new AnswerFailures());
  }

  public DnsWireHandler(DnsAnswerEngine engine, AnswerFailures failures) {
    this.engine = engine;
    this.failures = failures;
  }

  public DnsReply handle(byte[] wire, Transport transport) {
    return handle(ByteBuffer.wrap(wire), transport);
  }

  /**
   * Answers the packet between the buffer's position and limit. The buffer is read during the call
   * only, and its position may move.
   */
  public DnsReply handle(ByteBuffer wire, Transport transport) {
    if (wire.remaining() < Header.LENGTH) {
      return new DnsReply.Unreadable("a DNS message needs at least a 12-byte header");
    }
    int start = wire.position();
    Message query;
    try {
      query = new Message(wire);
    } catch (IOException | RuntimeException e) {
      return malformed(wire, start);
    }
    Header header = query.getHeader();
    if (header.getFlag(Flags.QR)) {
      return RESPONSE;
    }
    try {
      Message reply = engine.answer(query);
      return new DnsReply.Answered(reply.toWire(transport.replyLimit(query.getOPT())));
    } catch (RuntimeException e) {
      failures.record(query.getQuestion(), e);
      Message reply = DnsAnswerEngine.replyTo(header);
      if (query.getQuestion() != null) {
        reply.addRecord(query.getQuestion(), Section.QUESTION);
      }
      return new DnsReply.Answered(
          DnsAnswerEngine.withRcode(reply, Rcode.SERVFAIL).toWire(Transport.STREAM_LIMIT));
    }
  }

  /** A header followed by a body that does not parse: FORMERR, unless it is a response. */
  private static DnsReply malformed(ByteBuffer wire, int start) {
    byte[] headerBytes = new byte[Header.LENGTH];
    wire.get(start, headerBytes);
    Header header;
    try {
      header = new Header(headerBytes);
    } catch (IOException e) {
      return new DnsReply.Unreadable("unreadable DNS header");
    }
    if (header.getFlag(Flags.QR)) {
      return RESPONSE;
    }
    Message reply = DnsAnswerEngine.withRcode(DnsAnswerEngine.replyTo(header), Rcode.FORMERR);
    return new DnsReply.Answered(reply.toWire(Transport.STREAM_LIMIT));
  }
}
