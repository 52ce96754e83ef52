package dev.cloudmapdns.dns.grpc;

import static dev.cloudmapdns.dns.testing.ZoneFixtures.instance;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.service;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.cloudmapdns.dns.engine.DnsAnswerEngine;
import dev.cloudmapdns.dns.engine.DnsForwarder;
import dev.cloudmapdns.dns.engine.DnsWireHandler;
import dev.cloudmapdns.dns.testing.CoreDnsLikeClient;
import dev.cloudmapdns.dns.testing.DnsQueries;
import dev.cloudmapdns.dns.testing.ZoneFixtures;
import dev.cloudmapdns.dns.zone.DnsZoneSource;
import dev.cloudmapdns.dns.zone.Endpoint;
import dev.cloudmapdns.proto.coredns.DnsPacket;
import dev.cloudmapdns.proto.coredns.DnsServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * {@code coredns.dns.DnsService/Query} over an in-process gRPC server, called through a real stub
 * and through a client that behaves like CoreDNS's grpc plugin.
 */
class CoreDnsGrpcServiceTest {
  private static final DnsZoneSource ZONES =
      ZoneFixtures.source(
          zone("app.local")
              .soaTtl(30)
              .with(
                  service("backend-api")
                      .a(60)
                      .aaaa(60)
                      .with(
                          instance("b-1").ipv4("10.0.0.1").ipv6("fd00::1"),
                          instance("b-2").ipv4("10.0.0.2"),
                          instance("b-3").ipv4("10.0.0.3").unhealthy()),
                  service("_http._tcp")
                      .srv(20)
                      .a(20)
                      .with(instance("web-1").ipv4("10.0.1.1").port(8080)),
                  service("legacy").weighted().cname(300).with(instance("l").cname("old.example")),
                  service("big").srv(10).a(10).with(longIds()))
              .build());

  /** A fresh, equally seeded generator per query: every engine picks the same instances. */
  private final DnsAnswerEngine engine = new DnsAnswerEngine(ZONES, () -> new Random(7));

  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<Server> extraServers = new ArrayList<>();
  private Server server;
  private ManagedChannel channel;
  private DnsServiceGrpc.DnsServiceBlockingStub stub;

  private static List<Endpoint> longIds() {
    return IntStream.rangeClosed(1, 8)
        .mapToObj(i -> instance("i".repeat(62) + i).ipv4("10.0.9." + i).port(9000 + i).build())
        .toList();
  }

  @BeforeEach
  void startServer() throws IOException {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(new CoreDnsGrpcService(new DnsWireHandler(engine)))
            .build()
            .start();
    channel = channel(name);
    stub = DnsServiceGrpc.newBlockingStub(channel);
  }

  private ManagedChannel channel(String name) {
    ManagedChannel created = InProcessChannelBuilder.forName(name).directExecutor().build();
    channels.add(created);
    return created;
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    for (ManagedChannel created : channels) {
      created.shutdownNow();
      assertTrue(created.awaitTermination(5, TimeUnit.SECONDS));
    }
    server.shutdownNow();
    assertTrue(server.awaitTermination(5, TimeUnit.SECONDS));
    for (Server extra : extraServers) {
      extra.shutdownNow();
      assertTrue(extra.awaitTermination(5, TimeUnit.SECONDS));
    }
  }

  private Message viaStub(byte[] wire) throws IOException {
    DnsPacket reply = stub.query(DnsPacket.newBuilder().setMsg(ByteString.copyFrom(wire)).build());
    return new Message(reply.getMsg().toByteArray());
  }

  static Stream<Message> queries() {
    return Stream.of(
        DnsQueries.query("backend-api.app.local", Type.A),
        DnsQueries.query("Backend-API.app.local", Type.AAAA),
        DnsQueries.query("_http._tcp.app.local", Type.SRV),
        DnsQueries.query("web-1._http._tcp.app.local", Type.A),
        DnsQueries.query("legacy.app.local", Type.A),
        DnsQueries.query("backend-api.app.local", Type.TXT),
        DnsQueries.query("_tcp.app.local", Type.A),
        DnsQueries.query("nope.app.local", Type.A),
        DnsQueries.query("app.local", Type.SOA, 4096),
        DnsQueries.query("example.com", Type.A),
        DnsQueries.builder("app.local", Type.NS).edns(1232, 1).build());
  }

  private void assertSameReply(Message expected, Message actual) {
    assertEquals(expected.getHeader().getID(), actual.getHeader().getID());
    assertEquals(Rcode.string(expected.getRcode()), Rcode.string(actual.getRcode()));
    for (int flag : new int[] {Flags.QR, Flags.AA, Flags.TC, Flags.RD, Flags.RA}) {
      assertEquals(
          expected.getHeader().getFlag(flag),
          actual.getHeader().getFlag(flag),
          () -> "flag " + Flags.string(flag));
    }
    for (int section = Section.QUESTION; section <= Section.ADDITIONAL; section++) {
      assertEquals(
          expected.sectionToString(section),
          actual.sectionToString(section),
          Section.longString(section));
    }
  }

  @ParameterizedTest
  @MethodSource("queries")
  void answersThroughAStubAsTheEngineDoes(Message query) throws IOException {
    Message reply = viaStub(query.toWire());

    assertSameReply(engine.answer(query), reply);
  }

  @ParameterizedTest
  @MethodSource("queries")
  void answersCoreDnsAsTheEngineDoes(Message query) {
    CoreDnsLikeClient.Exchange exchange = new CoreDnsLikeClient(channel).exchange(query);

    assertEquals(CoreDnsLikeClient.Outcome.ANSWERED, exchange.outcome());
    assertSameReply(engine.answer(query), exchange.reply());
  }

  /** A server whose handler forwards outside names to {@code forwarder}; its channel's name. */
  private String serverForwardingTo(DnsForwarder forwarder) throws IOException {
    String name = InProcessServerBuilder.generateName();
    Server forwarding =
        InProcessServerBuilder.forName(name)
            .addService(new CoreDnsGrpcService(new DnsWireHandler(engine, Optional.of(forwarder))))
            .build()
            .start();
    extraServers.add(forwarding);
    return name;
  }

  @Test
  void relaysAForwardedReplyThatArrivesLaterOnAnotherThread() throws IOException {
    DnsForwarder upstream =
        query ->
            CompletableFuture.supplyAsync(
                () -> {
                  Message reply = new Message(query.getHeader().getID() ^ 0x5555);
                  reply.getHeader().setFlag(Flags.QR);
                  reply.getHeader().setFlag(Flags.RA);
                  reply.addRecord(query.getQuestion(), Section.QUESTION);
                  try {
                    reply.addRecord(
                        new ARecord(
                            query.getQuestion().getName(),
                            DClass.IN,
                            30,
                            InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 7})),
                        Section.ANSWER);
                  } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                  }
                  return reply;
                },
                CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
    ManagedChannel forwarding = channel(serverForwardingTo(upstream));
    Message query = DnsQueries.builder("Example.COM", Type.A).id(1234).build();

    CoreDnsLikeClient.Exchange exchange = new CoreDnsLikeClient(forwarding).exchange(query);

    assertEquals(CoreDnsLikeClient.Outcome.ANSWERED, exchange.outcome());
    assertEquals(1234, exchange.reply().getHeader().getID());
    assertEquals("Example.COM.", exchange.reply().getQuestion().getName().toString());
    assertEquals("192.0.2.7", exchange.reply().getSection(Section.ANSWER).get(0).rdataToString());
  }

  @Test
  void answersServfailWhenForwardingFails() {
    ManagedChannel forwarding;
    try {
      forwarding =
          channel(
              serverForwardingTo(
                  query -> CompletableFuture.failedFuture(new IOException("every upstream down"))));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    CoreDnsLikeClient.Exchange exchange =
        new CoreDnsLikeClient(forwarding).exchange(DnsQueries.query("example.com", Type.A));

    assertEquals(
        CoreDnsLikeClient.Outcome.ANSWERED, exchange.outcome(), "a DNS reply, not a gRPC error");
    assertEquals(Rcode.SERVFAIL, exchange.reply().getRcode());
  }

  @Test
  void answersCoreDnsWithTheHealthyAddresses() {
    Message reply =
        new CoreDnsLikeClient(channel).query(DnsQueries.query("backend-api.app.local", Type.A));

    assertEquals(Rcode.NOERROR, reply.getRcode());
    assertEquals(
        List.of("10.0.0.1", "10.0.0.2"),
        reply.getSection(Section.ANSWER).stream().map(r -> r.rdataToString()).sorted().toList());
  }

  static Stream<byte[]> unreadablePackets() {
    byte[] response = DnsQueries.query("backend-api.app.local", Type.A).toWire();
    response[2] |= (byte) 0x80;
    return Stream.of(new byte[0], new byte[] {1, 2, 3}, new byte[11], response);
  }

  @ParameterizedTest
  @MethodSource("unreadablePackets")
  void rejectsAnUnreadablePacketWithInvalidArgument(byte[] packet) {
    StatusRuntimeException error =
        assertThrows(
            StatusRuntimeException.class,
            () -> stub.query(DnsPacket.newBuilder().setMsg(ByteString.copyFrom(packet)).build()));

    assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
  }

  @Test
  void answersFormerrRatherThanAGrpcErrorForAGarbageBody() throws IOException {
    byte[] packet = {0x0a, 0x0b, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x7f};

    Message reply = viaStub(packet);

    assertEquals(Rcode.FORMERR, reply.getRcode());
    assertEquals(0x0a0b, reply.getHeader().getID());
  }

  @Test
  void answersRootNsWithADnsReplyNotAGrpcError() throws IOException {
    Message query = DnsQueries.query(".", Type.NS);

    Message reply = viaStub(query.toWire());
    CoreDnsLikeClient.Exchange exchange = new CoreDnsLikeClient(channel).exchange(query);

    assertEquals(Rcode.REFUSED, reply.getRcode());
    assertEquals(CoreDnsLikeClient.Outcome.ANSWERED, exchange.outcome());
    assertEquals(Rcode.REFUSED, exchange.reply().getRcode());
  }

  @Test
  void neverTruncatesOverGrpc() throws IOException {
    Message query = DnsQueries.query("big.app.local", Type.SRV);

    Message reply = viaStub(query.toWire());

    assertFalse(reply.getHeader().getFlag(Flags.TC));
    assertEquals(8, reply.getSection(Section.ANSWER).size());
    assertTrue(reply.toWire().length > 1232, "the reply is larger than any UDP limit");
  }

  @Test
  void isReachedThroughTheNextUpstreamWhenTheFirstIsDown() {
    ManagedChannel down = channel(InProcessServerBuilder.generateName());
    CoreDnsLikeClient client = new CoreDnsLikeClient(down, channel);

    CoreDnsLikeClient.Exchange exchange =
        client.exchange(DnsQueries.query("backend-api.app.local", Type.A));

    assertEquals(CoreDnsLikeClient.Outcome.ANSWERED, exchange.outcome());
    assertEquals(1, exchange.upstream());
    assertEquals(
        List.of(Status.Code.UNAVAILABLE),
        exchange.failures().stream().map(Status::getCode).toList());
    assertEquals(2, exchange.reply().getSection(Section.ANSWER).size());
  }
}
