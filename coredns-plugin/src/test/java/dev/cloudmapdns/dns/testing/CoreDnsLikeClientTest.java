package dev.cloudmapdns.dns.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.cloudmapdns.proto.coredns.DnsPacket;
import dev.cloudmapdns.proto.coredns.DnsServiceGrpc;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * {@link CoreDnsLikeClient} against scripted upstreams: each case is one branch of CoreDNS's grpc
 * plugin (see the client's class comment).
 */
class CoreDnsLikeClientTest {
  private static final Message QUERY =
      DnsQueries.builder("backend-api.app.local", Type.A).id(0x4242).build();

  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  /** What a scripted upstream does with one request. */
  @FunctionalInterface
  private interface Behaviour {
    void query(Message request, StreamObserver<DnsPacket> response) throws IOException;
  }

  /** An in-process DnsService that follows a script and counts its calls. */
  private final class Upstream extends DnsServiceGrpc.DnsServiceImplBase {
    private final Behaviour behaviour;
    private final AtomicInteger calls = new AtomicInteger();
    private final ManagedChannel channel;

    Upstream(Behaviour behaviour) throws IOException {
      this.behaviour = behaviour;
      String name = InProcessServerBuilder.generateName();
      servers.add(
          InProcessServerBuilder.forName(name).directExecutor().addService(this).build().start());
      channel = InProcessChannelBuilder.forName(name).directExecutor().build();
      channels.add(channel);
    }

    @Override
    public void query(DnsPacket request, StreamObserver<DnsPacket> response) {
      calls.incrementAndGet();
      try {
        behaviour.query(new Message(request.getMsg().toByteArray()), response);
      } catch (IOException e) {
        response.onError(Status.INTERNAL.withCause(e).asRuntimeException());
      }
    }
  }

  @AfterEach
  void stopUpstreams() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
      assertTrue(channel.awaitTermination(5, TimeUnit.SECONDS));
    }
    for (Server server : servers) {
      server.shutdownNow();
      assertTrue(server.awaitTermination(5, TimeUnit.SECONDS));
    }
  }

  /** A correct authoritative answer to {@code request}, then changed by {@code edit}. */
  private static Behaviour answering(UnaryOperator<Message> edit) {
    return (request, response) -> {
      Message reply = new Message(request.getHeader().getID());
      reply.getHeader().setFlag(Flags.QR);
      reply.getHeader().setFlag(Flags.AA);
      reply.addRecord(request.getQuestion(), Section.QUESTION);
      reply.addRecord(
          new ARecord(
              request.getQuestion().getName(),
              DClass.IN,
              60,
              InetAddress.getByAddress(new byte[] {10, 0, 0, 1})),
          Section.ANSWER);
      send(edit.apply(reply).toWire(), response);
    };
  }

  private static Behaviour answering() {
    return answering(UnaryOperator.identity());
  }

  private static Behaviour failing(Status status) {
    return (request, response) -> response.onError(status.asRuntimeException());
  }

  private static void send(byte[] wire, StreamObserver<DnsPacket> response) {
    response.onNext(DnsPacket.newBuilder().setMsg(ByteString.copyFrom(wire)).build());
    response.onCompleted();
  }

  private static Message withQuestion(Message reply, String name, int type, int dclass) {
    Message edited = reply.clone();
    edited.removeAllRecords(Section.QUESTION);
    edited.addRecord(Record.newRecord(DnsQueries.name(name), type, dclass), Section.QUESTION);
    return edited;
  }

  private static void assertBuiltFromTheQuery(Message reply, int rcode) {
    assertEquals(Rcode.string(rcode), Rcode.string(reply.getRcode()));
    assertEquals(QUERY.getHeader().getID(), reply.getHeader().getID());
    assertTrue(reply.getHeader().getFlag(Flags.QR));
    assertTrue(reply.getHeader().getFlag(Flags.RD), "RD is copied from the query");
    assertFalse(reply.getHeader().getFlag(Flags.AA));
    assertEquals(QUERY.getQuestion(), reply.getQuestion());
    for (int section = Section.ANSWER; section <= Section.ADDITIONAL; section++) {
      assertEquals(List.of(), reply.getSection(section));
    }
  }

  @Test
  void passesAMatchingReplyOnUnchanged() throws IOException {
    Upstream upstream = new Upstream(answering());

    CoreDnsLikeClient.Exchange exchange = new CoreDnsLikeClient(upstream.channel).exchange(QUERY);

    assertEquals(CoreDnsLikeClient.Outcome.ANSWERED, exchange.outcome());
    assertEquals(0, exchange.upstream());
    assertEquals(List.of(), exchange.failures());
    assertTrue(exchange.reply().getHeader().getFlag(Flags.AA));
    assertEquals("10.0.0.1", exchange.reply().getSection(Section.ANSWER).get(0).rdataToString());
  }

  @Test
  void acceptsAnEchoedQuestionInAnotherCase() throws IOException {
    Upstream upstream =
        new Upstream(
            answering(reply -> withQuestion(reply, "BACKEND-API.APP.LOCAL", Type.A, DClass.IN)));

    CoreDnsLikeClient.Exchange exchange = new CoreDnsLikeClient(upstream.channel).exchange(QUERY);

    assertEquals(CoreDnsLikeClient.Outcome.ANSWERED, exchange.outcome());
  }

  static Stream<Arguments> mismatchedReplies() {
    return Stream.of(
        Arguments.of(
            "another name",
            (UnaryOperator<Message>) r -> withQuestion(r, "other.app.local", Type.A, DClass.IN)),
        Arguments.of(
            "another type",
            (UnaryOperator<Message>)
                r -> withQuestion(r, "backend-api.app.local", Type.AAAA, DClass.IN)),
        Arguments.of(
            "another class",
            (UnaryOperator<Message>)
                r -> withQuestion(r, "backend-api.app.local", Type.A, DClass.CH)),
        Arguments.of(
            "another ID",
            (UnaryOperator<Message>)
                r -> {
                  r.getHeader().setID(r.getHeader().getID() + 1);
                  return r;
                }),
        Arguments.of(
            "QR not set",
            (UnaryOperator<Message>)
                r -> {
                  r.getHeader().unsetFlag(Flags.QR);
                  return r;
                }),
        Arguments.of(
            "no question",
            (UnaryOperator<Message>)
                r -> {
                  r.removeAllRecords(Section.QUESTION);
                  return r;
                }),
        Arguments.of(
            "two questions",
            (UnaryOperator<Message>)
                r -> {
                  r.addRecord(
                      Record.newRecord(DnsQueries.name("x.app.local"), Type.A, DClass.IN),
                      Section.QUESTION);
                  return r;
                }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mismatchedReplies")
  void turnsAMismatchedReplyIntoFormerrWithoutTryingTheNextUpstream(
      String mismatch, UnaryOperator<Message> edit) throws IOException {
    Upstream wrong = new Upstream(answering(edit));
    Upstream right = new Upstream(answering());

    CoreDnsLikeClient.Exchange exchange =
        new CoreDnsLikeClient(wrong.channel, right.channel).exchange(QUERY);

    assertEquals(CoreDnsLikeClient.Outcome.MISMATCH, exchange.outcome(), mismatch);
    assertEquals(0, exchange.upstream());
    assertBuiltFromTheQuery(exchange.reply(), Rcode.FORMERR);
    assertEquals(0, right.calls.get());
  }

  @Test
  void turnsNotFoundIntoNxdomainWithoutTryingTheNextUpstream() throws IOException {
    Upstream notFound = new Upstream(failing(Status.NOT_FOUND));
    Upstream right = new Upstream(answering());

    CoreDnsLikeClient.Exchange exchange =
        new CoreDnsLikeClient(notFound.channel, right.channel).exchange(QUERY);

    assertEquals(CoreDnsLikeClient.Outcome.NOT_FOUND, exchange.outcome());
    assertBuiltFromTheQuery(exchange.reply(), Rcode.NXDOMAIN);
    assertEquals(0, right.calls.get());
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of("UNAVAILABLE", failing(Status.UNAVAILABLE), Set.of(Status.Code.UNAVAILABLE)),
        Arguments.of("INTERNAL", failing(Status.INTERNAL), Set.of(Status.Code.INTERNAL)),
        Arguments.of(
            "INVALID_ARGUMENT",
            failing(Status.INVALID_ARGUMENT),
            Set.of(Status.Code.INVALID_ARGUMENT)),
        Arguments.of(
            "an unreadable reply",
            (Behaviour) (request, response) -> send(new byte[] {1, 2, 3}, response),
            Set.of(Status.Code.INTERNAL)),
        // gRPC's size cap (RESOURCE_EXHAUSTED) applies where messages are serialized; the
        // in-process transport passes them by reference, so the client's own check (INTERNAL) hits.
        Arguments.of(
            "a reply over 65535 bytes",
            (Behaviour) (request, response) -> send(new byte[65_536], response),
            Set.of(Status.Code.RESOURCE_EXHAUSTED, Status.Code.INTERNAL)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void triesTheNextUpstreamAfterAFailure(String failure, Behaviour first, Set<Status.Code> expected)
      throws IOException {
    Upstream broken = new Upstream(first);
    Upstream right = new Upstream(answering());

    CoreDnsLikeClient.Exchange exchange =
        new CoreDnsLikeClient(broken.channel, right.channel).exchange(QUERY);

    assertEquals(CoreDnsLikeClient.Outcome.ANSWERED, exchange.outcome(), failure);
    assertEquals(1, exchange.upstream());
    assertEquals(1, exchange.failures().size());
    Status.Code code = exchange.failures().get(0).getCode();
    assertTrue(expected.contains(code), () -> failure + " gave " + code);
  }

  @Test
  void answersServfailBuiltFromTheQueryWhenEveryUpstreamFails() throws IOException {
    Upstream first = new Upstream(failing(Status.UNAVAILABLE));
    Upstream second = new Upstream(failing(Status.UNKNOWN));

    CoreDnsLikeClient.Exchange exchange =
        new CoreDnsLikeClient(first.channel, second.channel).exchange(QUERY);

    assertEquals(CoreDnsLikeClient.Outcome.ALL_FAILED, exchange.outcome());
    assertEquals(-1, exchange.upstream());
    assertEquals(2, exchange.failures().size());
    assertBuiltFromTheQuery(exchange.reply(), Rcode.SERVFAIL);
  }

  @Test
  void sendsTheQueryWithADeadlineOfAtMostFiveSeconds() throws IOException {
    AtomicReference<Deadline> seen = new AtomicReference<>();
    Behaviour recording =
        (request, response) -> {
          seen.set(Context.current().getDeadline());
          answering().query(request, response);
        };
    Upstream upstream = new Upstream(recording);

    new CoreDnsLikeClient(upstream.channel).query(QUERY);

    Deadline deadline = seen.get();
    assertNotNull(deadline, "CoreDNS puts a deadline on every call");
    long remainingMillis = deadline.timeRemaining(TimeUnit.MILLISECONDS);
    assertTrue(remainingMillis > 0 && remainingMillis <= 5_000, remainingMillis + " ms");
  }

  @Test
  void stopsTryingUpstreamsOnceTheBudgetIsSpent() throws IOException {
    Upstream hung = new Upstream((request, response) -> {});
    Upstream right = new Upstream(answering());
    CoreDnsLikeClient client =
        new CoreDnsLikeClient(List.of(hung.channel, right.channel), Duration.ofMillis(200));

    CoreDnsLikeClient.Exchange exchange = client.exchange(QUERY);

    assertEquals(CoreDnsLikeClient.Outcome.ALL_FAILED, exchange.outcome());
    assertEquals(
        List.of(Status.Code.DEADLINE_EXCEEDED),
        exchange.failures().stream().map(Status::getCode).toList());
    assertEquals(0, right.calls.get(), "one budget for all upstreams");
    assertBuiltFromTheQuery(exchange.reply(), Rcode.SERVFAIL);
  }
}
