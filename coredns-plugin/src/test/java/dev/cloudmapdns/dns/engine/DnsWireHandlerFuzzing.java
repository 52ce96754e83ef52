package dev.cloudmapdns.dns.engine;

import static dev.cloudmapdns.dns.testing.ZoneFixtures.instance;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.service;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cloudmapdns.dns.testing.ZoneFixtures;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * What must hold for any packet at all, shared by the short fuzz run of every build and the long
 * one behind the {@code fuzz-long} profile: no exception escapes, the reply parses, carries the
 * query's ID and an rcode a query can earn (never SERVFAIL: that is an internal error), and fits
 * the transport; only a packet shorter than a header, or a response, is refused outright.
 */
final class DnsWireHandlerFuzzing {
  private static final Set<Integer> EARNED_RCODES =
      Set.of(
          Rcode.NOERROR, Rcode.NXDOMAIN, Rcode.FORMERR, Rcode.NOTIMP, Rcode.REFUSED, Rcode.BADVERS);

  private static final DnsWireHandler HANDLER =
      new DnsWireHandler(
          new DnsAnswerEngine(
              ZoneFixtures.source(
                  zone("app.local")
                      .with(
                          service("web")
                              .a(60)
                              .aaaa(60)
                              .with(instance("w-1").ipv4("10.0.0.1").ipv6("fd00::1")),
                          service("_api._tcp")
                              .srv(30)
                              .a(30)
                              .with(instance("a-1").ipv4("10.0.1.1").port(80)))
                      .build())),
          java.util.Optional.empty(),
          new AnswerFailures(
              (message, failure) -> fail("internal error: " + message, failure),
              Duration.ZERO,
              System::nanoTime));

  private DnsWireHandlerFuzzing() {}

  static void check(byte[] packet) {
    for (Transport transport : Transport.values()) {
      DnsReply reply = HANDLER.handle(packet, transport);
      if (reply instanceof DnsReply.Unreadable) {
        assertTrue(
            packet.length < 12 || (packet[2] & 0x80) != 0,
            "only a packet shorter than a header, or a response, may go unanswered");
        continue;
      }
      byte[] wire = ((DnsReply.Answered) reply).wire();
      if (transport == Transport.UDP) {
        assertTrue(wire.length <= DnsAnswerEngine.MAX_UDP_PAYLOAD, "fits UDP: " + wire.length);
      }
      Message parsed;
      try {
        parsed = new Message(wire);
      } catch (IOException e) {
        throw new AssertionError("the reply does not parse", e);
      }
      assertEquals(((packet[0] & 0xFF) << 8) | (packet[1] & 0xFF), parsed.getHeader().getID());
      assertTrue(EARNED_RCODES.contains(parsed.getRcode()), "rcode " + parsed.getRcode());
    }
  }
}
