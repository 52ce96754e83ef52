package dev.cloudmapdns.dns.testing;

import com.google.protobuf.ByteString;
import dev.cloudmapdns.proto.coredns.DnsPacket;
import dev.cloudmapdns.proto.coredns.DnsServiceGrpc;
import io.grpc.Channel;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Sends a DNS query to our {@code coredns.dns.DnsService/Query} and treats the outcome exactly as
 * CoreDNS's {@code grpc} plugin does, so that a test can state what a CoreDNS client would receive.
 *
 * <p>Mirrors coredns/coredns at commit 4b26cce (August 2026), read for this class:
 *
 * <ul>
 *   <li>{@code plugin/grpc/grpc.go}, {@code ServeDNS} (lines 35-126): one deadline of {@code
 *       defaultTimeout} = 5 s (line 166) is fixed before the first attempt (line 53); upstreams are
 *       tried in the order the policy lists them while that deadline has not passed (line 55), each
 *       call carrying the same deadline (lines 74-78). An error moves on to the next upstream
 *       (lines 83-86). A reply that fails {@code request.Match} is replaced by a FORMERR built from
 *       the request and returned at once, without trying another upstream (lines 88-96). Otherwise
 *       the reply is written unchanged (line 106). When no upstream gave a reply, the handler
 *       returns SERVFAIL (lines 110-125), which the server writes through {@code errorFunc} ({@code
 *       core/dnsserver/server.go} lines 446-454) as a reply built from the request.
 *   <li>{@code plugin/grpc/proxy.go}, {@code query} (lines 75-117): the request is packed and
 *       refused when larger than 65,535 bytes ({@code validateDNSSize}, lines 119-125); gRPC status
 *       NOT_FOUND becomes a reply built from the request with rcode NXDOMAIN (lines 89-93); any
 *       other status is an error; the reply's bytes are size-checked and unpacked, and an unpack
 *       failure is an error too (lines 96-105). Send and receive are capped at 65,539 protobuf
 *       bytes (lines 56-63).
 *   <li>{@code plugin/grpc/policy.go}, {@code sequential} (lines 65-72): the upstreams in the order
 *       configured. This client always uses that policy, so that tests are repeatable.
 *   <li>{@code request/request.go}, {@code Match} (lines 345-367): the reply must have exactly one
 *       question, the QR bit, and the request's name (compared in lower case), type and class.
 *   <li>A "reply built from the request" is miekg/dns {@code SetRcode}: the request's ID and
 *       opcode, QR set, RD and CD copied for opcode QUERY, the first question, the given rcode,
 *       nothing else.
 * </ul>
 *
 * <p>Deliberate differences, all on the strict side:
 *
 * <ul>
 *   <li>{@code Match} does not compare IDs: CoreDNS would forward a reply with a foreign ID, and
 *       its own client would then discard it as an answer to another query. This client turns a
 *       mismatched ID into FORMERR too, so that a test sees the defect instead of a timeout.
 *   <li>Not modelled: {@code fallthrough} (a CoreDNS option, absent in 1.10.1), the server's {@code
 *       ScrubWriter} (fits the reply to its own UDP client; the same for every plugin) and metrics.
 *   <li>CoreDNS 1.10.1, which the end-to-end tests run, is older than the sources above: it does
 *       not put the deadline on each call, does not check sizes and does not compare the class. A
 *       server that satisfies this client satisfies 1.10.1.
 * </ul>
 */
public final class CoreDnsLikeClient {
  /** CoreDNS's {@code defaultTimeout}: the budget for all attempts of one query together. */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(5);

  /** CoreDNS's {@code maxDNSMessageBytes} ({@code dns.MaxMsgSize}). */
  public static final int MAX_DNS_MESSAGE_BYTES = 65_535;

  /** The DNS limit plus the protobuf field tag and length: CoreDNS's call size caps. */
  private static final int MAX_PROTOBUF_PAYLOAD_BYTES = MAX_DNS_MESSAGE_BYTES + 4;

  /** How a query ended, in the terms of the plugin's code paths. */
  public enum Outcome {
    /** An upstream replied with a matching message, which is passed on unchanged. */
    ANSWERED,
    /** An upstream returned gRPC NOT_FOUND; the plugin made an NXDOMAIN reply. */
    NOT_FOUND,
    /** An upstream's reply did not match the request; the plugin made a FORMERR reply. */
    MISMATCH,
    /** Every upstream failed, or the budget ran out; the server made a SERVFAIL reply. */
    ALL_FAILED
  }

  /**
   * One query's result: the DNS reply a CoreDNS client would receive, how it came about, which
   * upstream (index into the list given to the constructor) produced it, or -1 when none did, and
   * the statuses of the attempts that failed before.
   */
  public record Exchange(Message reply, Outcome outcome, int upstream, List<Status> failures) {
    public Exchange {
      failures = List.copyOf(failures);
    }
  }

  private final List<DnsServiceGrpc.DnsServiceBlockingStub> upstreams;
  private final Duration budget;

  /** A client with CoreDNS's 5 s budget. */
  public CoreDnsLikeClient(Channel first, Channel... more) {
    this(concat(first, more), DEFAULT_BUDGET);
  }

  /**
   * A client for {@code upstreams} in this order, with another budget than CoreDNS's 5 s (for tests
   * of a hung upstream).
   */
  public CoreDnsLikeClient(List<? extends Channel> upstreams, Duration budget) {
    if (upstreams.isEmpty()) {
      throw new IllegalArgumentException("at least one upstream is needed");
    }
    this.budget = Objects.requireNonNull(budget, "budget");
    List<DnsServiceGrpc.DnsServiceBlockingStub> stubs = new ArrayList<>(upstreams.size());
    for (Channel channel : upstreams) {
      stubs.add(
          DnsServiceGrpc.newBlockingStub(channel)
              .withMaxInboundMessageSize(MAX_PROTOBUF_PAYLOAD_BYTES)
              .withMaxOutboundMessageSize(MAX_PROTOBUF_PAYLOAD_BYTES));
    }
    this.upstreams = List.copyOf(stubs);
  }

  /** The reply a CoreDNS client would receive for {@code request}. */
  public Message query(Message request) {
    return exchange(request).reply();
  }

  /**
   * Runs one query through the upstreams.
   *
   * @throws IllegalArgumentException when {@code request} does not have exactly one question (the
   *     CoreDNS server refuses such a packet before any plugin sees it)
   */
  public Exchange exchange(Message request) {
    if (request.getSection(Section.QUESTION).size() != 1) {
      throw new IllegalArgumentException("a query needs exactly one question");
    }
    Deadline deadline = Deadline.after(budget.toNanos(), TimeUnit.NANOSECONDS);
    List<Status> failures = new ArrayList<>();
    for (int i = 0; i < upstreams.size() && !deadline.isExpired(); i++) {
      Message reply;
      try {
        reply = attempt(upstreams.get(i), request, deadline);
      } catch (AttemptFailed e) {
        failures.add(e.status);
        continue;
      }
      if (reply == null) {
        return new Exchange(replyFrom(request, Rcode.NXDOMAIN), Outcome.NOT_FOUND, i, failures);
      }
      if (!matches(request, reply)) {
        return new Exchange(replyFrom(request, Rcode.FORMERR), Outcome.MISMATCH, i, failures);
      }
      return new Exchange(reply, Outcome.ANSWERED, i, failures);
    }
    return new Exchange(replyFrom(request, Rcode.SERVFAIL), Outcome.ALL_FAILED, -1, failures);
  }

  /** One upstream call: the unpacked reply, or null for NOT_FOUND. */
  private static Message attempt(
      DnsServiceGrpc.DnsServiceBlockingStub upstream, Message request, Deadline deadline)
      throws AttemptFailed {
    byte[] packed = request.toWire();
    if (packed.length > MAX_DNS_MESSAGE_BYTES) {
      throw new AttemptFailed(Status.INTERNAL.withDescription("query exceeds 65535 bytes"));
    }
    DnsPacket response;
    try {
      response =
          upstream
              .withDeadline(deadline)
              .query(DnsPacket.newBuilder().setMsg(ByteString.copyFrom(packed)).build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return null;
      }
      throw new AttemptFailed(e.getStatus());
    }
    byte[] wire = response.getMsg().toByteArray();
    if (wire.length > MAX_DNS_MESSAGE_BYTES) {
      throw new AttemptFailed(Status.INTERNAL.withDescription("reply exceeds 65535 bytes"));
    }
    try {
      return new Message(wire);
    } catch (IOException | RuntimeException e) {
      // miekg/dns reports every unpack problem as an error; dnsjava throws a few unchecked ones
      // too.
      throw new AttemptFailed(
          Status.INTERNAL.withDescription("unpack: " + e.getMessage()).withCause(e));
    }
  }

  /**
   * CoreDNS's {@code request.Match}, plus the ID comparison that CoreDNS's own clients make (see
   * the class comment).
   */
  private static boolean matches(Message request, Message reply) {
    List<Record> questions = reply.getSection(Section.QUESTION);
    if (questions.size() != 1 || !reply.getHeader().getFlag(Flags.QR)) {
      return false;
    }
    if (reply.getHeader().getID() != request.getHeader().getID()) {
      return false;
    }
    Record asked = request.getQuestion();
    Record echoed = questions.get(0);
    // Name.equals ignores case, as the plugin's lower-cased comparison does.
    return echoed.getName().equals(asked.getName())
        && echoed.getType() == asked.getType()
        && echoed.getDClass() == asked.getDClass();
  }

  /** miekg/dns {@code new(dns.Msg).SetRcode(request, rcode)}. */
  private static Message replyFrom(Message request, int rcode) {
    Header asked = request.getHeader();
    Message reply = new Message(asked.getID());
    Header header = reply.getHeader();
    header.setFlag(Flags.QR);
    header.setOpcode(asked.getOpcode());
    if (asked.getOpcode() == Opcode.QUERY) {
      if (asked.getFlag(Flags.RD)) {
        header.setFlag(Flags.RD);
      }
      if (asked.getFlag(Flags.CD)) {
        header.setFlag(Flags.CD);
      }
    }
    header.setRcode(rcode);
    reply.addRecord(request.getQuestion(), Section.QUESTION);
    return reply;
  }

  private static List<Channel> concat(Channel first, Channel... more) {
    List<Channel> all = new ArrayList<>(1 + more.length);
    all.add(Objects.requireNonNull(first, "first"));
    all.addAll(List.of(more));
    return all;
  }

  /** An attempt that ends the plugin's way: "continue with the next proxy". */
  private static final class AttemptFailed extends Exception {
    private final transient Status status;

    AttemptFailed(Status status) {
      super(status.toString(), null, false, false);
      this.status = status;
    }
  }
}
