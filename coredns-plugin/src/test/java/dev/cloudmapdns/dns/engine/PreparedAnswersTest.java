package dev.cloudmapdns.dns.engine;

import static dev.cloudmapdns.dns.testing.ZoneFixtures.instance;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.service;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.zone;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.dns.testing.DnsQueries;
import dev.cloudmapdns.dns.testing.ZoneFixtures;
import dev.cloudmapdns.dns.zone.CompiledService;
import dev.cloudmapdns.dns.zone.DnsZone;
import dev.cloudmapdns.dns.zone.DnsZoneCompiler;
import dev.cloudmapdns.dns.zone.DnsZoneSet;
import dev.cloudmapdns.dns.zone.DnsZoneSource;
import dev.cloudmapdns.dns.zone.Endpoint;
import dev.cloudmapdns.dns.zone.ServiceDefinition;
import dev.cloudmapdns.dns.zone.ZoneAuthority;
import dev.cloudmapdns.dns.zone.ZoneContent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A prepared answer is the engine's answer, byte for byte: every name, type, spelling, EDNS offer,
 * flag and transport below is asked both ways with the same randomness and compared.
 */
class PreparedAnswersTest {
  private static final DnsZoneSource ZONES =
      ZoneFixtures.source(
          zone("app.local")
              .with(
                  service("web").a(60).with(instances("w", 3)),
                  service("solo")
                      .a(60)
                      .aaaa(60)
                      .with(instance("s-1").ipv4("10.0.1.1").ipv6("fd00::1")),
                  service("five").a(30).with(instances("f", 5)),
                  service("six").a(30).with(instances("x", 6)),
                  service("many").a(30).with(instances("m", 20)),
                  service("dual").a(30).aaaa(30).with(dualStack(10)),
                  service("_api._tcp")
                      .srv(60)
                      .a(60)
                      .with(
                          instance("api-1").ipv4("10.0.3.1").port(8080),
                          instance("api-2").ipv4("10.0.3.2").port(8081)),
                  service("alias").cname(60).with(instance("c-1").cname("web.app.local")),
                  service("drained").a(60).with(instance("d-1").ipv4("10.0.4.1").unhealthy()),
                  service("wide").srv(60).a(60).with(longIds()))
              .build(),
          zone("other.test").with(service("db").a(10).with(instances("db", 2))).build());

  private static final List<String> NAMES =
      List.of(
          "app.local",
          "web.app.local",
          "solo.app.local",
          "five.app.local",
          "six.app.local",
          "many.app.local",
          "dual.app.local",
          "_api._tcp.app.local",
          "api-1._api._tcp.app.local",
          "_tcp.app.local",
          "alias.app.local",
          "drained.app.local",
          "wide.app.local",
          "missing.app.local",
          "deep.missing.app.local",
          "other.test",
          "db.other.test",
          "outside.example");

  private static final List<Integer> TYPES =
      List.of(Type.A, Type.AAAA, Type.SRV, Type.CNAME, Type.TXT, Type.SOA, Type.NS, Type.MX);

  /** No EDNS, then EDNS offers below, at, between and above the limits. */
  private static final List<Integer> EDNS = List.of(-1, 100, 512, 1000, 1232, 4096);

  private static List<Endpoint> instances(String prefix, int count) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(i -> instance(prefix + "-" + i).ipv4("10.9." + count + "." + i).build())
        .toList();
  }

  private static List<Endpoint> dualStack(int count) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(i -> instance("d-" + i).ipv4("10.8.0." + i).ipv6("fd00::8:" + i).build())
        .toList();
  }

  /** Eight SRV targets with 63-character ids: about 800 bytes, so UDP without EDNS truncates. */
  private static List<Endpoint> longIds() {
    return IntStream.rangeClosed(1, 8)
        .mapToObj(
            i ->
                instance(String.valueOf((char) ('a' + i)).repeat(62) + i)
                    .ipv4("10.0.5." + i)
                    .port(8000 + i)
                    .build())
        .toList();
  }

  /** The engine's answer to {@code wire}, as {@link DnsWireHandler}'s dynamic path renders it. */
  private static byte[] dynamic(DnsZoneSource zones, byte[] wire, Transport transport, long seed)
      throws IOException {
    Message query = new Message(wire);
    DnsAnswerEngine engine = new DnsAnswerEngine(zones, fixed(new Random(seed)));
    return engine.answer(query).toWire(transport.replyLimit(query.getOPT()));
  }

  private static Supplier<RandomGenerator> fixed(Random random) {
    return () -> random;
  }

  /** The same name with every letter's case chosen by {@code seed}: DNS 0x20 as resolvers send. */
  private static String mixedCase(String name, long seed) {
    Random random = new Random(seed);
    StringBuilder spelled = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      spelled.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
    }
    return spelled.toString();
  }

  private static byte[] query(String name, int type, int edns, boolean rd, boolean cd, int id) {
    DnsQueries.QueryBuilder builder = DnsQueries.builder(name, type).id(id);
    if (edns >= 0) {
      builder.edns(edns);
    }
    if (!rd) {
      builder.noRecursionDesired();
    }
    Message query = builder.build();
    if (cd) {
      query.getHeader().setFlag(Flags.CD);
    }
    return query.toWire();
  }

  @Test
  void everyPreparedAnswerIsTheEnginesByteForByte() throws IOException {
    // One random source per side, seeded alike, so both make the same random choices.
    AtomicReference<Random> preparedRandom = new AtomicReference<>();
    PreparedAnswers answers =
        new PreparedAnswers(new DnsAnswerEngine(ZONES, () -> preparedRandom.get()));
    int compared = 0;
    int preparedCount = 0;
    for (String name : NAMES) {
      for (String spelling :
          List.of(name, name.toUpperCase(), mixedCase(name, name.hashCode()), mixedCase(name, 7))) {
        for (int type : TYPES) {
          for (int edns : EDNS) {
            for (Transport transport : Transport.values()) {
              for (long seed = 0; seed < 4; seed++) {
                boolean rd = seed % 2 == 0;
                boolean cd = seed == 3;
                byte[] wire = query(spelling, type, edns, rd, cd, (int) (seed * 7919 + type));
                preparedRandom.set(new Random(seed));
                byte[] fast = answers.answer(ByteBuffer.wrap(wire), transport);
                byte[] reference = dynamic(ZONES, wire, transport, seed);
                compared++;
                if (fast != null) {
                  preparedCount++;
                  assertArrayEquals(
                      reference,
                      fast,
                      () -> spelling + " " + Type.string(type) + " edns " + edns + " " + transport);
                }
              }
            }
          }
        }
      }
    }
    // Most of these queries are the fast path's: the comparison above is not vacuous.
    assertTrue(preparedCount > compared / 2, preparedCount + " of " + compared + " prepared");
  }

  static Stream<Arguments> preparedShapes() {
    return Stream.of(
        Arguments.of("web.app.local", Type.A, -1, Transport.UDP, Rcode.NOERROR),
        Arguments.of("WeB.aPp.LoCaL", Type.A, 4096, Transport.UDP, Rcode.NOERROR),
        Arguments.of("five.app.local", Type.A, -1, Transport.STREAM, Rcode.NOERROR),
        Arguments.of("six.app.local", Type.A, -1, Transport.UDP, Rcode.NOERROR),
        Arguments.of("many.app.local", Type.A, 1232, Transport.UDP, Rcode.NOERROR),
        Arguments.of("dual.app.local", Type.AAAA, -1, Transport.UDP, Rcode.NOERROR),
        Arguments.of("_api._tcp.app.local", Type.SRV, 1232, Transport.UDP, Rcode.NOERROR),
        Arguments.of("alias.app.local", Type.A, -1, Transport.UDP, Rcode.NOERROR),
        Arguments.of("app.local", Type.SOA, -1, Transport.UDP, Rcode.NOERROR),
        Arguments.of("app.local", Type.NS, 512, Transport.UDP, Rcode.NOERROR),
        Arguments.of("_tcp.app.local", Type.A, -1, Transport.UDP, Rcode.NOERROR),
        Arguments.of("drained.app.local", Type.A, -1, Transport.UDP, Rcode.NOERROR),
        Arguments.of("Missing.App.Local", Type.A, -1, Transport.UDP, Rcode.NXDOMAIN),
        Arguments.of("_api._tcp.app.local", Type.SRV, -1, Transport.STREAM, Rcode.NOERROR),
        Arguments.of("solo.app.local", Type.AAAA, 1232, Transport.UDP, Rcode.NOERROR));
  }

  @ParameterizedTest(name = "{0} {1} edns {2} over {3}")
  @MethodSource("preparedShapes")
  void answersTheCommonShapesPrepared(
      String name, int type, int edns, Transport transport, int rcode) throws IOException {
    PreparedAnswers answers = new PreparedAnswers(new DnsAnswerEngine(ZONES));
    byte[] wire = query(name, type, edns, true, false, 4242);

    byte[] fast = answers.answer(ByteBuffer.wrap(wire), transport);

    assertNotNull(fast);
    Message reply = new Message(fast);
    assertEquals(4242, reply.getHeader().getID());
    assertEquals(rcode, reply.getRcode());
    assertEquals(name, reply.getQuestion().getName().toString(true));
  }

  static Stream<Arguments> dynamicShapes() {
    return Stream.<Arguments>of(
        shape("8 of 8 SRV records: 40,320 orders", "wide.app.local", q -> {}),
        shape("ANY", "web.app.local", q -> {}),
        shape("outside every zone", "outside.example", q -> {}),
        shape("EDNS version 1", "web.app.local", q -> {}),
        shape("class CH", "web.app.local", q -> {}),
        shape("class ANY", "web.app.local", q -> {}),
        shape("NOTIFY", "web.app.local", q -> q.getHeader().setOpcode(Opcode.NOTIFY)),
        shape("a response", "web.app.local", q -> q.getHeader().setFlag(Flags.QR)),
        shape(
            "two questions",
            "web.app.local",
            q -> q.addRecord(Record.newRecord(q.getQuestion().getName(), Type.A, 1), 0)),
        shape(
            "an answer record in the query",
            "web.app.local",
            q ->
                q.addRecord(
                    new ARecord(
                        q.getQuestion().getName(),
                        DClass.IN,
                        5,
                        new byte[] {(byte) 10, (byte) 0, (byte) 0, (byte) 9}),
                    Section.ANSWER)),
        shape("UDP without EDNS, 800 bytes", "wide.app.local", q -> {}));
  }

  private static Arguments shape(String why, String name, Consumer<Message> change) {
    return Arguments.of(why, name, change);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dynamicShapes")
  void leavesEveryOtherQueryToTheEngine(String why, String name, Consumer<Message> change) {
    PreparedAnswers answers = new PreparedAnswers(new DnsAnswerEngine(ZONES));
    int type =
        switch (why) {
          case "ANY" -> Type.ANY;
          case "UDP without EDNS, 800 bytes", "8 of 8 SRV records: 40,320 orders" -> Type.SRV;
          default -> Type.A;
        };
    DnsQueries.QueryBuilder builder = DnsQueries.builder(name, type);
    if (why.equals("EDNS version 1")) {
      builder.edns(1232, 1);
    }
    if (why.startsWith("8 of 8")) {
      builder.edns(1232);
    }
    if (why.startsWith("class")) {
      builder.dclass(why.endsWith("CH") ? DClass.CH : DClass.ANY);
    }
    Message query = builder.build();
    change.accept(query);

    assertNull(answers.answer(ByteBuffer.wrap(query.toWire()), Transport.UDP));
  }

  @Test
  void leavesMalformedAndUnusualPacketsToTheEngine() {
    PreparedAnswers answers = new PreparedAnswers(new DnsAnswerEngine(ZONES));
    byte[] good = query("web.app.local", Type.A, -1, true, false, 1);
    byte[] trailing = Arrays.copyOf(good, good.length + 3);
    byte[] cutShort = Arrays.copyOf(good, good.length - 3);
    byte[] pointer = good.clone();
    pointer[12] = (byte) 0xC0; // the name becomes a compression pointer
    byte[] withOption = query("web.app.local", Type.A, 1232, true, false, 1);
    withOption[withOption.length - 1] = 4; // an option length the packet does not carry

    for (byte[] packet : List.of(trailing, cutShort, pointer, withOption, new byte[12])) {
      assertNull(answers.answer(ByteBuffer.wrap(packet), Transport.UDP));
    }
    assertNotNull(answers.answer(ByteBuffer.wrap(good), Transport.UDP));
  }

  @ParameterizedTest(name = "option {0}")
  @ValueSource(ints = {10, 12, 8, 3})
  void answersQueriesWithCookiesAndPaddingAsTheEngineDoesAndLeavesOtherOptionsToIt(int code)
      throws IOException {
    // Each query draws from a new source with the same seed, as the reference below does.
    PreparedAnswers answers = new PreparedAnswers(new DnsAnswerEngine(ZONES, () -> new Random(1)));
    byte[] plain = query("web.app.local", Type.A, 1232, true, false, 77);
    int prepared = 0;
    for (int optionLength = 0; optionLength <= 44; optionLength++) {
      byte[] wire = Arrays.copyOf(plain, plain.length + 4 + optionLength);
      int rdlength = 4 + optionLength;
      wire[plain.length - 2] = (byte) (rdlength >> 8);
      wire[plain.length - 1] = (byte) rdlength;
      wire[plain.length + 1] = (byte) code;
      wire[plain.length + 3] = (byte) optionLength;
      for (int i = 0; i < optionLength; i++) {
        wire[plain.length + 4 + i] = (byte) (i * 37 + 1);
      }
      byte[] reference;
      try {
        reference = dynamic(ZONES, wire, Transport.UDP, 1);
      } catch (IOException unparsable) {
        reference = null; // the handler answers FORMERR: the fast path must not answer at all
      }
      byte[] fast = answers.answer(ByteBuffer.wrap(wire), Transport.UDP);
      if (fast != null) {
        prepared++;
        assertNotNull(reference, "option length " + optionLength);
        assertArrayEquals(reference, fast, "option length " + optionLength);
      }
    }
    switch (code) {
      case 10 -> assertEquals(1 + 25, prepared, "client cookie, or client and server cookie");
      case 12 -> assertEquals(45, prepared, "padding of any length");
      default -> assertEquals(0, prepared, "other options take the dynamic path");
    }
  }

  @Test
  void readsThePacketWhereTheBufferSaysAndLeavesThePositionAlone() throws IOException {
    PreparedAnswers answers = new PreparedAnswers(new DnsAnswerEngine(ZONES));
    byte[] packet = query("Web.App.Local", Type.A, -1, true, false, 99);
    byte[] framed = new byte[packet.length + 9];
    System.arraycopy(packet, 0, framed, 5, packet.length);
    ByteBuffer buffer = ByteBuffer.wrap(framed, 5, packet.length);

    byte[] fast = answers.answer(buffer, Transport.STREAM);

    assertEquals(5, buffer.position());
    assertEquals("Web.App.Local.", new Message(fast).getQuestion().getName().toString());
    assertEquals(99, new Message(fast).getHeader().getID());
  }

  @Test
  void choosesEveryOrderOfASmallRecordSet() throws IOException {
    PreparedAnswers answers = new PreparedAnswers(new DnsAnswerEngine(ZONES));
    Set<List<String>> orders = new HashSet<>();
    for (int i = 0; i < 600; i++) {
      byte[] wire = query("web.app.local", Type.A, -1, true, false, i);
      List<String> order = new ArrayList<>();
      for (Record record :
          new Message(answers.answer(ByteBuffer.wrap(wire), Transport.UDP))
              .getSection(Section.ANSWER)) {
        order.add(record.rdataToString());
      }
      orders.add(order);
    }

    assertEquals(6, orders.size(), orders.toString());
  }

  @Test
  void choosesEightOfALargeSetAtRandomWithEveryInstanceInTurn() throws IOException {
    PreparedAnswers answers = new PreparedAnswers(new DnsAnswerEngine(ZONES));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      byte[] wire = query("many.app.local", Type.A, -1, true, false, i);
      List<Record> chosen =
          new Message(answers.answer(ByteBuffer.wrap(wire), Transport.UDP))
              .getSection(Section.ANSWER);
      Set<String> distinct = new HashSet<>();
      chosen.forEach(record -> distinct.add(record.rdataToString()));
      assertEquals(8, distinct.size(), "8 distinct of 20");
      seen.addAll(distinct);
    }

    assertEquals(20, seen.size());
  }

  @Test
  void aChangeToOneServiceForgetsOnlyThatServicesAnswers() throws IOException {
    DnsZoneCompiler compiler = new DnsZoneCompiler(ZoneAuthority.defaults());
    Name apex = compiler.apex("app.local");
    ServiceDefinition web = service("web").a(60).with(instances("w", 3)).build();
    ServiceDefinition api = service("api").a(60).with(instance("a-1").ipv4("10.0.7.1")).build();
    CompiledService apiBefore = compiler.compileService(apex, api);
    ZoneContent content =
        ZoneContent.of(apex, List.of(compiler.compileService(apex, web), apiBefore));
    AtomicReference<DnsZoneSet> current =
        new AtomicReference<>(setOf(compiler.assemble(15, 1, content)));
    PreparedAnswers answers = new PreparedAnswers(new DnsAnswerEngine(current::get));
    byte[] webQuery = query("web.app.local", Type.A, -1, true, false, 1);
    byte[] apiQuery = query("api.app.local", Type.A, -1, true, false, 2);
    byte[] missing = query("gone.app.local", Type.A, -1, true, false, 3);
    answers.answer(ByteBuffer.wrap(webQuery), Transport.UDP);
    answers.answer(ByteBuffer.wrap(apiQuery), Transport.UDP);
    assertEquals(1, negativeSerial(answers.answer(ByteBuffer.wrap(missing), Transport.UDP)));
    DnsZone before = current.get().findZone(apex).orElseThrow();
    Object webPrepared = before.nodes().get(DnsQueries.name("web.app.local")).prepared();
    Object apiPrepared = before.nodes().get(DnsQueries.name("api.app.local")).prepared();

    ServiceDefinition moved = service("api").a(60).with(instance("a-1").ipv4("10.0.7.2")).build();
    content = content.replace(apiBefore, compiler.compileService(apex, moved));
    current.set(setOf(compiler.assemble(15, 2, content)));
    byte[] apiAfter = answers.answer(ByteBuffer.wrap(apiQuery), Transport.UDP);
    answers.answer(ByteBuffer.wrap(webQuery), Transport.UDP);

    DnsZone after = current.get().findZone(apex).orElseThrow();
    assertNotNull(webPrepared);
    assertSame(webPrepared, after.nodes().get(DnsQueries.name("web.app.local")).prepared());
    assertNotSame(apiPrepared, after.nodes().get(DnsQueries.name("api.app.local")).prepared());
    assertEquals(
        "10.0.7.2", new Message(apiAfter).getSection(Section.ANSWER).get(0).rdataToString());
    assertEquals(2, negativeSerial(answers.answer(ByteBuffer.wrap(missing), Transport.UDP)));
  }

  private static long negativeSerial(byte[] reply) throws IOException {
    return ((SOARecord) new Message(reply).getSection(Section.AUTHORITY).get(0)).getSerial();
  }

  private static DnsZoneSet setOf(DnsZone zone) {
    return DnsZoneSet.of(Map.of(zone.apex(), zone));
  }
}
