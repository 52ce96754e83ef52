package dev.cloudmapdns.dns.engine;

import static dev.cloudmapdns.dns.testing.ZoneFixtures.instance;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.service;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.zone;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.dns.testing.DnsQueries;
import dev.cloudmapdns.dns.testing.ZoneFixtures;
import dev.cloudmapdns.dns.zone.DnsZoneSource;
import dev.cloudmapdns.dns.zone.Endpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Bytes in, bytes out: what {@link DnsWireHandler} does with each kind of packet and transport. */
class DnsWireHandlerTest {
  /** 8 instances with 63-character ids: 8 SRV records are about 800 bytes, over 512. */
  private static final String BIG = "big.app.local";

  /**
   * 8 instances with three-label ids of about 190 characters: the SRV records alone are over 1232.
   */
  private static final String HUGE = "huge.app.local";

  private static final DnsZoneSource ZONES =
      ZoneFixtures.source(
          zone("app.local")
              .with(
                  service("big").srv(60).a(60).with(longIds(63, 1)),
                  service("huge").srv(60).a(60).with(longIds(60, 3)),
                  service("backend-api").a(60).with(instance("b-1").ipv4("10.0.0.1")))
              .build());

  private final DnsWireHandler handler = new DnsWireHandler(new DnsAnswerEngine(ZONES));

  /** Eight instances whose ids are {@code labels} labels of {@code labelLength} characters. */
  private static List<Endpoint> longIds(int labelLength, int labels) {
    return IntStream.rangeClosed(1, 8)
        .mapToObj(
            i -> {
              String label = String.valueOf((char) ('a' + i)).repeat(labelLength - 1) + i;
              String id = String.join(".", Collections.nCopies(labels, label));
              return instance(id).ipv4("10.0.5." + i).port(8000 + i).build();
            })
        .toList();
  }

  private byte[] answered(Message query, Transport transport) {
    DnsReply reply = handler.handle(query.toWire(), transport);
    return assertInstanceOf(DnsReply.Answered.class, reply).wire();
  }

  private static Message parse(byte[] wire) {
    try {
      return new Message(wire);
    } catch (IOException e) {
      throw new AssertionError("the reply does not parse", e);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 11})
  void treatsPacketsShorterThanAHeaderAsUnreadable(int length) {
    DnsReply reply = handler.handle(new byte[length], Transport.UDP);

    assertInstanceOf(DnsReply.Unreadable.class, reply);
  }

  @Test
  void treatsAPacketWithQrSetAsUnreadable() {
    byte[] wire = DnsQueries.query("backend-api.app.local", Type.A).toWire();
    wire[2] |= (byte) 0x80;

    assertInstanceOf(DnsReply.Unreadable.class, handler.handle(wire, Transport.UDP));
    assertInstanceOf(DnsReply.Unreadable.class, handler.handle(wire, Transport.STREAM));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "05 61 62", "ff ff ff ff ff", "00 00 01"})
  void answersFormerrWithTheSameIdForAReadableHeaderAndAGarbageBody(String bodyHex) {
    byte[] header = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    byte[] body = hex(bodyHex);
    byte[] wire = Arrays.copyOf(header, header.length + body.length);
    System.arraycopy(body, 0, wire, header.length, body.length);

    DnsReply reply = handler.handle(wire, Transport.UDP);

    Message parsed = parse(assertInstanceOf(DnsReply.Answered.class, reply).wire());
    assertEquals(Rcode.FORMERR, parsed.getRcode());
    assertEquals(0x1234, parsed.getHeader().getID());
    assertTrue(parsed.getHeader().getFlag(Flags.QR));
  }

  @Test
  void answersServfailWithIdAndQuestionWhenTheEngineFails() {
    DnsWireHandler failing =
        new DnsWireHandler(
            new DnsAnswerEngine(
                () -> {
                  throw new IllegalStateException("registry unavailable");
                }));
    Message query = DnsQueries.builder("backend-api.app.local", Type.A).id(4711).build();

    Message reply =
        parse(
            assertInstanceOf(
                    DnsReply.Answered.class, failing.handle(query.toWire(), Transport.STREAM))
                .wire());

    assertEquals(Rcode.SERVFAIL, reply.getRcode());
    assertEquals(4711, reply.getHeader().getID());
    assertEquals(query.getQuestion(), reply.getQuestion());
  }

  @Test
  void reportsAFailureHitByEveryQueryOncePerIntervalNotOncePerQuery() {
    List<String> reports = new ArrayList<>();
    DnsWireHandler failing =
        new DnsWireHandler(
            new DnsAnswerEngine(
                () -> {
                  throw new IllegalStateException("registry unavailable");
                }),
            Optional.empty(),
            new AnswerFailures(
                (message, failure) -> reports.add(message), Duration.ofHours(1), System::nanoTime));
    byte[] query = DnsQueries.query("backend-api.app.local", Type.A).toWire();

    for (int i = 0; i < 1_000; i++) {
      failing.handle(query, Transport.UDP);
    }

    assertEquals(1, reports.size(), reports.toString());
  }

  @Test
  void readsThePacketBetweenTheBuffersPositionAndLimit() {
    byte[] query = DnsQueries.builder("backend-api.app.local", Type.A).id(99).build().toWire();
    ByteBuffer framed = ByteBuffer.allocate(query.length + 10);
    framed.position(7);
    framed.put(query);
    framed.limit(7 + query.length).position(7);

    Message reply =
        parse(
            assertInstanceOf(DnsReply.Answered.class, handler.handle(framed, Transport.STREAM))
                .wire());

    assertEquals(99, reply.getHeader().getID());
    assertEquals(Rcode.NOERROR, reply.getRcode());
  }

  @Test
  void truncatesUdpRepliesOver512BytesWithTcWhenThereIsNoEdns() {
    Message query = DnsQueries.query(BIG, Type.SRV);

    byte[] full = answered(query, Transport.STREAM);
    byte[] udp = answered(query, Transport.UDP);

    assertTrue(full.length > 512, "the full reply must be over 512 bytes: " + full.length);
    assertTrue(udp.length <= 512, "UDP reply of " + udp.length + " bytes");
    assertTrue(parse(udp).getHeader().getFlag(Flags.TC));
  }

  @Test
  void keepsUdpRepliesWithinTheEdnsPayloadButNeverOver1232Bytes() {
    Message query = DnsQueries.query(BIG, Type.SRV, 4096);

    byte[] full = answered(query, Transport.STREAM);
    byte[] udp = answered(query, Transport.UDP);

    assertTrue(full.length > 1232, "the full reply must be over 1232 bytes: " + full.length);
    assertTrue(udp.length <= 1232, "UDP reply of " + udp.length + " bytes");
    Message reply = parse(udp);
    assertEquals(8, reply.getSection(Section.ANSWER).size(), "the answers fit; glue is dropped");
    assertFalse(reply.getHeader().getFlag(Flags.TC), "dropping glue does not need TC");
    assertNotNull(reply.getOPT());
  }

  @ParameterizedTest(name = "EDNS payload {0} -> at most {1} bytes")
  @CsvSource({"4096, 1232", "1232, 1232", "700, 700", "100, 512"})
  void truncatesWithTcWhenTheAnswersDoNotFitTheEdnsPayload(int payload, int limit) {
    Message query = DnsQueries.query(HUGE, Type.SRV, payload);

    byte[] udp = answered(query, Transport.UDP);

    assertTrue(udp.length <= limit, "UDP reply of " + udp.length + " bytes");
    Message reply = parse(udp);
    assertTrue(reply.getHeader().getFlag(Flags.TC));
    assertNotNull(reply.getOPT(), "a truncated reply still carries EDNS");
  }

  @ParameterizedTest
  @ValueSource(strings = {BIG, HUGE})
  void neverSetsTcOnAStream(String name) {
    byte[] stream = answered(DnsQueries.query(name, Type.SRV), Transport.STREAM);

    Message reply = parse(stream);
    assertFalse(reply.getHeader().getFlag(Flags.TC));
    assertEquals(8, reply.getSection(Section.ANSWER).size());
    assertEquals(8, reply.getSection(Section.ADDITIONAL).size());
  }

  @ParameterizedTest
  @ValueSource(strings = {BIG, HUGE})
  void neverCompressesSrvTargetNames(String name) {
    byte[] wire = answered(DnsQueries.query(name, Type.SRV), Transport.STREAM);

    List<SRVRecord> parsed =
        parse(wire).getSection(Section.ANSWER).stream().map(SRVRecord.class::cast).toList();
    List<byte[]> rdata = srvRdataOnTheWire(wire);
    assertEquals(8, rdata.size());
    for (int i = 0; i < rdata.size(); i++) {
      Name target = parsed.get(i).getTarget();
      byte[] labels = target.toWire();
      byte[] onTheWire = Arrays.copyOfRange(rdata.get(i), 6, rdata.get(i).length);
      assertArrayEquals(labels, onTheWire, () -> target + " is compressed in the SRV rdata");
    }
  }

  @Test
  void carriesBadversInTheOptRecordOnTheWire() {
    Message query = DnsQueries.builder("backend-api.app.local", Type.A).edns(1232, 1).build();

    Message reply = parse(answered(query, Transport.UDP));

    assertEquals(Rcode.BADVERS, reply.getRcode());
  }

  /** The rdata of each SRV record of the answer section, read straight from the packet. */
  private static List<byte[]> srvRdataOnTheWire(byte[] wire) {
    int questions = u16(wire, 4);
    int answers = u16(wire, 6);
    int pos = Header.LENGTH;
    for (int i = 0; i < questions; i++) {
      pos = skipName(wire, pos) + 4;
    }
    List<byte[]> rdata = new ArrayList<>();
    for (int i = 0; i < answers; i++) {
      pos = skipName(wire, pos);
      int type = u16(wire, pos);
      int length = u16(wire, pos + 8);
      int start = pos + 10;
      if (type == Type.SRV) {
        rdata.add(Arrays.copyOfRange(wire, start, start + length));
      }
      pos = start + length;
    }
    return rdata;
  }

  private static int skipName(byte[] wire, int pos) {
    while (true) {
      int length = wire[pos] & 0xFF;
      if (length == 0) {
        return pos + 1;
      }
      if ((length & 0xC0) == 0xC0) {
        return pos + 2;
      }
      pos += 1 + length;
    }
  }

  private static int u16(byte[] wire, int pos) {
    return ((wire[pos] & 0xFF) << 8) | (wire[pos + 1] & 0xFF);
  }

  private static byte[] hex(String text) {
    if (text.isBlank()) {
      return new byte[0];
    }
    String[] parts = text.trim().split(" ");
    byte[] bytes = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      bytes[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    return bytes;
  }
}
