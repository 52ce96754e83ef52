package dev.cloudmapdns.dns.listener;

import static dev.cloudmapdns.dns.testing.ZoneFixtures.instance;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.service;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.dns.engine.DnsAnswerEngine;
import dev.cloudmapdns.dns.engine.DnsWireHandler;
import dev.cloudmapdns.dns.testing.DnsQueries;
import dev.cloudmapdns.dns.testing.ZoneFixtures;
import dev.cloudmapdns.dns.zone.Endpoint;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The embedded listener on loopback, asked by dnsjava's resolver as {@code dig} would ask it. */
class DnsListenerTest {
  /** Generous: replies on loopback take milliseconds; a lost one fails the test, not hangs it. */
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static final String SRV_NAME = "_api._tcp.app.local";

  private DnsListener listener;

  /** Replies the listener reported, as "transport rcode". */
  private final Queue<String> recorded = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void startListener() throws InterruptedException {
    listener =
        new DnsListener(
            new DnsWireHandler(
                new DnsAnswerEngine(
                    ZoneFixtures.source(
                        zone("app.local")
                            .with(
                                service("backend-api")
                                    .a(60)
                                    .with(
                                        instance("b-1").ipv4("10.0.0.1"),
                                        instance("b-2").ipv4("10.0.0.2")),
                                service("_api._tcp").srv(30).a(30).with(longIds()))
                            .build()))),
            (channel, rcode, nanos) -> recorded.add(channel + " " + Rcode.string(rcode)));
    listener.start("127.0.0.1", 0);
  }

  @AfterEach
  void closeListener() {
    listener.close();
  }

  private static List<Endpoint> longIds() {
    return IntStream.rangeClosed(1, 8)
        .mapToObj(i -> instance("task-" + "0".repeat(56) + i).ipv4("10.0.4." + i).port(80).build())
        .toList();
  }

  private SimpleResolver resolver(boolean tcp) {
    SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
    resolver.setPort(listener.port());
    resolver.setTCP(tcp);
    resolver.setTimeout(TIMEOUT);
    return resolver;
  }

  private static List<String> values(Message reply) {
    return reply.getSection(Section.ANSWER).stream().map(Record::rdataToString).sorted().toList();
  }

  @Test
  void bindsAnEphemeralPortOnLoopback() {
    assertTrue(listener.port() > 0);
  }

  @Test
  void answersOverUdp() throws IOException {
    Message reply = resolver(false).send(DnsQueries.query("backend-api.app.local", Type.A));

    assertEquals(Rcode.NOERROR, reply.getRcode());
    assertTrue(reply.getHeader().getFlag(Flags.AA));
    assertEquals(List.of("10.0.0.1", "10.0.0.2"), values(reply));
  }

  @Test
  void answersOverTcp() throws IOException {
    SimpleResolver tcp = resolver(true);

    Message first = tcp.send(DnsQueries.query("backend-api.app.local", Type.A));
    Message second = tcp.send(DnsQueries.query("missing.app.local", Type.A));

    assertEquals(List.of("10.0.0.1", "10.0.0.2"), values(first));
    assertEquals(Rcode.NXDOMAIN, second.getRcode());
  }

  @Test
  void truncatesOverUdpAndAnswersInFullOverTcp() throws IOException {
    SimpleResolver udp = resolver(false);
    udp.setEDNS(null);
    udp.setIgnoreTruncation(true);

    Message truncated = udp.send(DnsQueries.query(SRV_NAME, Type.SRV));
    Message full = resolver(true).send(DnsQueries.query(SRV_NAME, Type.SRV));

    assertTrue(truncated.getHeader().getFlag(Flags.TC));
    assertTrue(truncated.getSection(Section.ANSWER).size() < 8);
    assertFalse(full.getHeader().getFlag(Flags.TC));
    assertEquals(8, full.getSection(Section.ANSWER).size());
    assertEquals(
        8,
        full.getSection(Section.ADDITIONAL).stream().filter(r -> r.getType() == Type.A).count(),
        "each target's address");
  }

  @Test
  void givesAResolverThatRetriesOverTcpTheFullAnswer() throws IOException {
    SimpleResolver udp = resolver(false);
    udp.setEDNS(null);

    Message reply = udp.send(DnsQueries.query(SRV_NAME, Type.SRV));

    assertFalse(reply.getHeader().getFlag(Flags.TC));
    assertEquals(8, reply.getSection(Section.ANSWER).size());
  }

  @Test
  void dropsGarbageDatagramsAndKeepsAnswering() throws IOException {
    byte[] response = DnsQueries.query("backend-api.app.local", Type.A).toWire();
    response[2] |= (byte) 0x80;
    Message query = DnsQueries.builder("backend-api.app.local", Type.A).id(0x5151).build();
    byte[] valid = query.toWire();

    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      socket.connect(InetAddress.getLoopbackAddress(), listener.port());
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      socket.send(new DatagramPacket(new byte[] {0x13, 0x37, 0x00}, 3));
      socket.send(new DatagramPacket(response, response.length));
      socket.send(new DatagramPacket(valid, valid.length));

      // Datagrams are handled in order on one event loop: an answer to the garbage would come
      // first.
      DatagramPacket received = new DatagramPacket(new byte[1500], 1500);
      socket.receive(received);
      Message reply = new Message(Arrays.copyOf(received.getData(), received.getLength()));
      assertEquals(0x5151, reply.getHeader().getID());
      assertEquals(List.of("10.0.0.1", "10.0.0.2"), values(reply));
    }

    Message after = resolver(false).send(DnsQueries.query("backend-api.app.local", Type.A));
    assertEquals(Rcode.NOERROR, after.getRcode());
  }

  @Test
  void reportsEveryReplyWithItsTransportAndRcode() throws IOException {
    resolver(false).send(DnsQueries.query("backend-api.app.local", Type.A));
    resolver(true).send(DnsQueries.query("nope.app.local", Type.A));
    resolver(false).send(DnsQueries.query("example.com", Type.A));

    assertEquals(List.of("UDP NOERROR", "TCP NXDOMAIN", "UDP REFUSED"), List.copyOf(recorded));
  }
}
