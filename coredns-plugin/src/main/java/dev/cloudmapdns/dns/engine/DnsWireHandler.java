package dev.cloudmapdns.dns.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
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
 *
 * <p>The common query (one question, class IN, EDNS(0) or none) is answered from {@link
 * PreparedAnswers}: a ready reply copied and patched, no message parsed or built. Every other
 * packet is parsed once, straight from the transport's buffer; only a packet whose body does not
 * parse has its header read again, on its own, to address the FORMERR.
 */
public final class DnsWireHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DnsWireHandler.class);
  private static final DnsReply RESPONSE =
      new DnsReply.Unreadable("the packet is a response, not a query");

  private final DnsAnswerEngine engine;
  private final PreparedAnswers prepared;
  private final AnswerFailures failures;
  private final Optional<DnsForwarder> forwarder;

  public DnsWireHandler(DnsAnswerEngine engine) {
    this(engine, Optional.empty());
  }

  /** With a forwarder, names outside every zone are forwarded instead of refused. */
  public DnsWireHandler(DnsAnswerEngine engine, Optional<DnsForwarder> forwarder) {
    this(engine, forwarder, new AnswerFailures());
  }

  public DnsWireHandler(
      DnsAnswerEngine engine, Optional<DnsForwarder> forwarder, AnswerFailures failures) {
    this.engine = engine;
    this.prepared = new PreparedAnswers(engine);
    this.forwarder = forwarder;
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
    byte[] ready = preparedAnswer(wire, transport);
    if (ready != null) {
      return new DnsReply.Answered(ready);
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
      if (forwarder.isPresent() && DnsAnswerEngine.refusedOutsideEveryZone(query, reply)) {
        return forward(forwarder.get(), query, transport);
      }
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

  /** The prepared reply, or null: then the packet takes the dynamic path, which also fails well. */
  private byte[] preparedAnswer(ByteBuffer wire, Transport transport) {
    try {
      return prepared.answer(wire, transport);
    } catch (RuntimeException e) {
      return null;
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
