package dev.cloudmapdns.dns.forward;

import static dev.cloudmapdns.dns.testing.ZoneFixtures.instance;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.service;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cloudmapdns.dns.engine.DnsAnswerEngine;
import dev.cloudmapdns.dns.engine.DnsReply;
import dev.cloudmapdns.dns.engine.DnsWireHandler;
import dev.cloudmapdns.dns.engine.Transport;
import dev.cloudmapdns.dns.listener.DnsListener;
import dev.cloudmapdns.dns.testing.DnsQueries;
import dev.cloudmapdns.dns.testing.KnotUpstream;
import dev.cloudmapdns.dns.testing.StubUpstream;
import dev.cloudmapdns.dns.testing.ZoneFixtures;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Names outside every zone, forwarded through the embedded listener to a real upstream ({@code
 * knotd} serving {@value KnotUpstream#ZONE} on loopback, started here) and to broken ones.
 */
class ForwardingTest {
  /** Short, so failover tests finish fast; loopback replies take milliseconds. */
  private static final Duration UPSTREAM_TIMEOUT = Duration.ofMillis(400);

  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path work;
  private KnotUpstream knot;
  private final List<StubUpstream> stubs = new ArrayList<>();
  private final ConcurrentLinkedQueue<ForwardingRecorder.Outcome> outcomes =
      new ConcurrentLinkedQueue<>();
  private DnsWireHandler handler;
  private DnsListener listener;

  @BeforeEach
  void startKnot() throws Exception {
    Optional<Path> knotd = KnotUpstream.binary();
    assumeTrue(
        knotd.isPresent(), "knotd is not installed (apt-get install knot); skipping forwarding");
    knot = KnotUpstream.start(knotd.get(), work);
  }

  @AfterEach
  void stop() {
    if (listener != null) {
      listener.close();
    }
    stubs.forEach(StubUpstream::close);
    if (knot != null) {
      knot.close();
    }
  }

  private String stub(StubUpstream.Behaviour behaviour) throws IOException {
    StubUpstream stub = StubUpstream.start(behaviour);
    stubs.add(stub);
    return stub.hostAndPort();
  }

  /** The listener, serving app.local itself and forwarding everything else to {@code upstreams}. */
  private void listen(String... upstreams) throws InterruptedException {
    UpstreamForwarder forwarder =
        new UpstreamForwarder(
            Upstream.parseAll(List.of(upstreams)), UPSTREAM_TIMEOUT, outcomes::add);
    DnsAnswerEngine engine =
        new DnsAnswerEngine(
            ZoneFixtures.source(
                zone("app.local")
                    .with(service("backend-api").a(60).with(instance("b-1").ipv4("10.0.0.1")))
                    .build()));
    handler = new DnsWireHandler(engine, Optional.of(forwarder));
    listener = new DnsListener(handler);
    listener.start("127.0.0.1", 0);
  }

  private Message ask(Message query, boolean overTcp) throws IOException {
    SimpleResolver resolver =
        new SimpleResolver(new InetSocketAddress("127.0.0.1", listener.port()));
    resolver.setTCP(overTcp);
    resolver.setIgnoreTruncation(true);
    resolver.setEDNS(-1); // as plain as dig +noedns: TC at 512 bytes
    resolver.setTimeout(CLIENT_TIMEOUT);
    return resolver.send(query);
  }

  private static List<String> addresses(Message reply) {
    return reply.getSection(Section.ANSWER).stream().map(Record::rdataToString).sorted().toList();
  }

  @Test
  void answersAnOutsideNameFromTheUpstreamOverUdpAndTcp() throws Exception {
    listen(knot.hostAndPort());
    for (boolean overTcp : new boolean[] {false, true}) {
      Message query = DnsQueries.builder("WWW.Upstream.Test", Type.A).id(4242).build();
      Message reply = ask(query, overTcp);
      assertEquals(Rcode.NOERROR, reply.getRcode());
      assertEquals(4242, reply.getHeader().getID(), "the client's ID");
      assertEquals(query.getQuestion(), reply.getQuestion());
      assertEquals("WWW.Upstream.Test.", reply.getQuestion().getName().toString(), "its spelling");
      assertEquals(List.of(KnotUpstream.WWW_ADDRESS), addresses(reply));
      assertTrue(reply.getHeader().getFlag(Flags.AA), "the upstream's own flags are relayed");
      assertEquals(null, reply.getOPT(), "no EDNS in the reply to a query without it");
    }
    assertEquals(
        List.of(ForwardingRecorder.Outcome.ANSWERED, ForwardingRecorder.Outcome.ANSWERED),
        List.copyOf(outcomes));
  }

  @Test
  void relaysTheUpstreamsNegativeAnswers() throws Exception {
    listen(knot.hostAndPort());
    Message reply = ask(DnsQueries.query("nope.upstream.test", Type.A), false);
    assertEquals(Rcode.NXDOMAIN, reply.getRcode());
    assertEquals(Type.SOA, reply.getSection(Section.AUTHORITY).get(0).getType());
  }

  @Test
  void truncatesALargeUpstreamAnswerForAPlainUdpClientAndGivesItWholeOverTcp() throws Exception {
    listen(knot.hostAndPort());
    Message udp = ask(DnsQueries.query("many.upstream.test", Type.A), false);
    assertTrue(udp.getHeader().getFlag(Flags.TC), "over 512 bytes without EDNS");
    Message tcp = ask(DnsQueries.query("many.upstream.test", Type.A), true);
    assertFalse(tcp.getHeader().getFlag(Flags.TC));
    assertEquals(KnotUpstream.MANY_COUNT, tcp.getSection(Section.ANSWER).size());
  }

  @Test
  void namesInsideAZoneAreAnsweredHereNeverForwarded() throws Exception {
    listen(knot.hostAndPort());
    assertEquals(
        List.of("10.0.0.1"),
        addresses(ask(DnsQueries.query("backend-api.app.local", Type.A), false)));
    assertEquals(Rcode.NXDOMAIN, ask(DnsQueries.query("nope.app.local", Type.A), false).getRcode());
    assertTrue(outcomes.isEmpty(), "nothing forwarded: " + outcomes);
  }

  @Test
  void zoneTransfersAndOtherClassesOutsideTheZonesAreStillRefused() throws Exception {
    listen(knot.hostAndPort());
    for (Message query :
        List.of(
            DnsQueries.query("upstream.test", Type.AXFR),
            DnsQueries.query("upstream.test", Type.IXFR),
            DnsQueries.builder("version.bind", Type.TXT).dclass(DClass.CH).build())) {
      DnsReply reply = handler.handle(query.toWire(), Transport.STREAM);
      assertEquals(
          Rcode.REFUSED,
          assertInstanceOf(DnsReply.Answered.class, reply).rcode(),
          query.toString());
    }
    assertTrue(outcomes.isEmpty(), "nothing forwarded: " + outcomes);
  }

  @Test
  void failsOverFromASilentUpstreamAndFromOneThatAnswersServfail() throws Exception {
    StubUpstream.Behaviour[] broken = {
      StubUpstream.Behaviour.SILENT, StubUpstream.Behaviour.SERVFAIL
    };
    listen(stub(broken[0]), stub(broken[1]), knot.hostAndPort());
    Message reply = ask(DnsQueries.query("www.upstream.test", Type.A), false);
    assertEquals(List.of(KnotUpstream.WWW_ADDRESS), addresses(reply));
    assertEquals(1, stubs.get(0).received(), "the silent one was asked once");
    assertEquals(1, stubs.get(1).received(), "the failing one was asked once");
    assertEquals(
        List.of(ForwardingRecorder.Outcome.ANSWERED_AFTER_FAILOVER), List.copyOf(outcomes));
  }

  @Test
  void answersServfailWithTheClientsIdAndQuestionWhenEveryUpstreamFails() throws Exception {
    listen(stub(StubUpstream.Behaviour.SILENT), stub(StubUpstream.Behaviour.SERVFAIL));
    for (boolean overTcp : new boolean[] {false, true}) {
      Message query = DnsQueries.builder("www.upstream.test", Type.A).id(77).build();
      Message reply = ask(query, overTcp);
      assertEquals(Rcode.SERVFAIL, reply.getRcode());
      assertEquals(77, reply.getHeader().getID());
      assertEquals(query.getQuestion(), reply.getQuestion());
    }
    assertEquals(
        List.of(ForwardingRecorder.Outcome.FAILED, ForwardingRecorder.Outcome.FAILED),
        List.copyOf(outcomes));
  }
}
