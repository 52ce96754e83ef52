package dev.cloudmapdns.dns.engine;

import static dev.cloudmapdns.dns.testing.ZoneFixtures.instance;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.service;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.dns.testing.DnsQueries;
import dev.cloudmapdns.dns.testing.ZoneFixtures;
import dev.cloudmapdns.dns.zone.DnsNode;
import dev.cloudmapdns.dns.zone.DnsZone;
import dev.cloudmapdns.dns.zone.DnsZoneSet;
import dev.cloudmapdns.dns.zone.Endpoint;
import dev.cloudmapdns.dns.zone.ZoneDefinition;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The DNS rules of {@link DnsAnswerEngine}, one test per rule. */
class DnsAnswerEngineTest {
  private static final long SOA_TTL = 60;

  /**
   * app.local holds one service per situation the rules talk about; staging.app.local nests inside
   * it to show that the longest zone wins.
   */
  private static final ZoneDefinition APP_LOCAL =
      zone("app.local")
          .soaTtl(SOA_TTL)
          .serial(7)
          .with(
              service("backend-api")
                  .a(30)
                  .aaaa(45)
                  .with(
                      instance("b-1").ipv4("10.0.0.1").ipv6("fd00::1"),
                      instance("b-2").ipv4("10.0.0.2"),
                      instance("b-3").ipv4("10.0.0.3").ipv6("fd00::3").unhealthy()),
              service("_http._tcp")
                  .srv(20)
                  .a(25)
                  .with(
                      instance("web-1").ipv4("10.0.1.1").port(8080),
                      instance("web-2").ipv4("10.0.1.2").port(8081),
                      instance("web-3").ipv4("10.0.1.3").port(8082).unhealthy()),
              service("legacy")
                  .weighted()
                  .cname(300)
                  .with(instance("l-1").cname("old.example.com")),
              service("drained").a(10).with(instance("d-1").ipv4("10.0.2.1").unhealthy()),
              service("odd-ids")
                  .srv(10)
                  .a(10)
                  .with(
                      instance("ok-1").ipv4("10.0.3.1").port(80),
                      instance("ip-10-0-3-2:80").ipv4("10.0.3.2").port(80),
                      instance("task/3").ipv4("10.0.3.3").port(80),
                      instance("me@host").ipv4("10.0.3.4").port(80)),
              service("srv-only")
                  .srv(40)
                  .with(instance("s-1").ipv4("10.0.4.1").ipv6("fd00::41").port(9000)),
              service("many").a(5).with(instances("m", 20, true)).with(instances("sick", 5, false)),
              service("one-of-five").weighted().a(5).with(instances("w", 5, true)))
          .build();

  private static final ZoneDefinition STAGING =
      zone("staging.app.local")
          .soaTtl(120)
          .with(service("backend-api").a(30).with(instance("s-1").ipv4("10.1.0.1")))
          .build();

  private final DnsAnswerEngine engine =
      engineFor(ZoneFixtures.compile(APP_LOCAL, STAGING), new Random(20_240_611L));

  private static DnsAnswerEngine engineFor(DnsZoneSet zones, Random random) {
    return new DnsAnswerEngine(() -> zones, () -> random);
  }

  private static List<Endpoint> instances(String prefix, int count, boolean healthy) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(
            i -> {
              ZoneFixtures.EndpointBuilder instance =
                  instance(prefix + "-" + i).ipv4("10.9." + (healthy ? 0 : 1) + "." + i);
              return (healthy ? instance : instance.unhealthy()).build();
            })
        .toList();
  }

  private Message ask(String name, int type) {
    return engine.answer(DnsQueries.query(name, type));
  }

  private static List<Record> answers(Message reply) {
    return reply.getSection(Section.ANSWER);
  }

  private static Set<String> values(List<Record> records) {
    return records.stream().map(Record::rdataToString).collect(Collectors.toSet());
  }

  private static void assertNegative(Message reply, int rcode, String zoneApex, long ttl) {
    assertEquals(rcode, reply.getRcode(), () -> Rcode.string(reply.getRcode()));
    assertTrue(reply.getHeader().getFlag(Flags.AA), "negative answers are authoritative");
    assertEquals(List.of(), answers(reply));
    List<Record> authority = reply.getSection(Section.AUTHORITY);
    assertEquals(1, authority.size());
    SOARecord soa = (SOARecord) authority.get(0);
    assertEquals(DnsQueries.name(zoneApex), soa.getName());
    assertEquals(ttl, soa.getTTL());
  }

  @Test
  void answersSoaAtTheZoneApex() {
    Message reply = ask("app.local", Type.SOA);

    assertEquals(Rcode.NOERROR, reply.getRcode());
    assertTrue(reply.getHeader().getFlag(Flags.AA));
    List<Record> answer = answers(reply);
    assertEquals(1, answer.size());
    SOARecord soa = (SOARecord) answer.get(0);
    assertEquals(DnsQueries.name("app.local"), soa.getName());
    assertEquals(SOA_TTL, soa.getTTL());
    assertEquals(DnsQueries.name("ns.cloudmap-dns"), soa.getHost());
    assertEquals(DnsQueries.name("hostmaster.cloudmap-dns"), soa.getAdmin());
    assertEquals(7, soa.getSerial());
    assertEquals(SOA_TTL, soa.getMinimum());
  }

  @Test
  void answersNsAtTheZoneApex() {
    Message reply = ask("app.local", Type.NS);

    assertEquals(Rcode.NOERROR, reply.getRcode());
    assertTrue(reply.getHeader().getFlag(Flags.AA));
    List<Record> answer = answers(reply);
    assertEquals(1, answer.size());
    NSRecord ns = (NSRecord) answer.get(0);
    assertEquals(DnsQueries.name("app.local"), ns.getName());
    assertEquals(DnsQueries.name("ns.cloudmap-dns"), ns.getTarget());
  }

  @Test
  void answersSoaAndNsForAnyAtTheZoneApex() {
    Message reply = ask("app.local", Type.ANY);

    assertEquals(
        Set.of(Type.SOA, Type.NS),
        answers(reply).stream().map(Record::getType).collect(Collectors.toSet()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"nope.app.local", "b-1.backend-api.app.local", "x.y.z.app.local"})
  void answersNxdomainWithSoaInAuthorityForUnknownNamesInAZone(String name) {
    Message reply = ask(name, Type.A);

    assertNegative(reply, Rcode.NXDOMAIN, "app.local", SOA_TTL);
  }

  @ParameterizedTest(name = "SOA TTL {0}, MINIMUM {1} -> negative TTL {2}")
  @CsvSource({"300, 30, 30", "20, 3600, 20", "45, 45, 45"})
  void usesTheSmallerOfSoaTtlAndSoaMinimumAsNegativeTtl(long ttl, long minimum, long expected) {
    Name apex = DnsQueries.name("neg.local");
    SOARecord soa =
        new SOARecord(
            apex,
            DClass.IN,
            ttl,
            DnsQueries.name("ns.test"),
            DnsQueries.name("admin.test"),
            1,
            7200,
            900,
            1_209_600,
            minimum);
    DnsZone zone =
        new DnsZone(
            apex,
            soa,
            new NSRecord(apex, DClass.IN, ttl, DnsQueries.name("ns.test")),
            Map.<Name, DnsNode>of(),
            Set.<Name>of());
    DnsAnswerEngine negativeEngine = engineFor(DnsZoneSet.of(Map.of(apex, zone)), new Random(1));

    Message nxdomain = negativeEngine.answer(DnsQueries.query("missing.neg.local", Type.A));
    Message nodata = negativeEngine.answer(DnsQueries.query("neg.local", Type.TXT));

    assertNegative(nxdomain, Rcode.NXDOMAIN, "neg.local", expected);
    assertNegative(nodata, Rcode.NOERROR, "neg.local", expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"TXT", "MX", "SRV", "CNAME", "PTR"})
  void answersNodataForAnotherTypeOfAnExistingName(String type) {
    Message reply = ask("backend-api.app.local", Type.value(type));

    assertNegative(reply, Rcode.NOERROR, "app.local", SOA_TTL);
  }

  @Test
  void answersNodataForAServiceWithoutAnswerableInstances() {
    Message reply = ask("drained.app.local", Type.A);

    assertNegative(reply, Rcode.NOERROR, "app.local", SOA_TTL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"_tcp.app.local", "_TCP.App.Local"})
  void answersNodataForEmptyNonTerminals(String name) {
    Message reply = ask(name, Type.A);

    assertNegative(reply, Rcode.NOERROR, "app.local", SOA_TTL);
  }

  @Test
  void answersNodataAtTheApexForTypesItDoesNotHold() {
    assertNegative(ask("app.local", Type.A), Rcode.NOERROR, "app.local", SOA_TTL);
  }

  @Test
  void answersAWithTheServiceTtl() {
    List<Record> answer = answers(ask("backend-api.app.local", Type.A));

    assertEquals(Set.of("10.0.0.1", "10.0.0.2"), values(answer));
    for (Record record : answer) {
      assertEquals(Type.A, record.getType());
      assertEquals(DnsQueries.name("backend-api.app.local"), record.getName());
      assertEquals(30, record.getTTL());
    }
  }

  @Test
  void answersAaaaWithTheServiceTtl() {
    List<Record> answer = answers(ask("backend-api.app.local", Type.AAAA));

    assertEquals(1, answer.size());
    AAAARecord aaaa = (AAAARecord) answer.get(0);
    assertEquals("fd00:0:0:0:0:0:0:1", aaaa.getAddress().getHostAddress());
    assertEquals(45, aaaa.getTTL());
  }

  @Test
  void answersSrvPointingAtInstanceHostNamesWithTheirAddressesInAdditional() {
    Message reply = ask("_http._tcp.app.local", Type.SRV);

    List<Record> answer = answers(reply);
    assertEquals(
        Set.of("1 1 8080 web-1._http._tcp.app.local.", "1 1 8081 web-2._http._tcp.app.local."),
        values(answer));
    for (Record record : answer) {
      assertEquals(Type.SRV, record.getType());
      assertEquals(20, record.getTTL());
    }
    List<Record> additional = reply.getSection(Section.ADDITIONAL);
    assertEquals(
        Set.of("web-1._http._tcp.app.local. 10.0.1.1", "web-2._http._tcp.app.local. 10.0.1.2"),
        additional.stream()
            .map(r -> r.getName() + " " + r.rdataToString())
            .collect(Collectors.toSet()));
    for (Record record : additional) {
      assertEquals(Type.A, record.getType());
      assertEquals(25, record.getTTL(), "host records take the service's A TTL");
    }
  }

  @Test
  void answersAForTheHostNameOfAnSrvInstance() {
    Message reply = ask("web-2._http._tcp.app.local", Type.A);

    assertEquals(Rcode.NOERROR, reply.getRcode());
    List<Record> answer = answers(reply);
    assertEquals(1, answer.size());
    ARecord a = (ARecord) answer.get(0);
    assertEquals("10.0.1.2", a.getAddress().getHostAddress());
    assertEquals(25, a.getTTL());
  }

  @Test
  void answersTheCnameOfACnameService() {
    List<Record> answer = answers(ask("legacy.app.local", Type.CNAME));

    assertEquals(1, answer.size());
    CNAMERecord cname = (CNAMERecord) answer.get(0);
    assertEquals(DnsQueries.name("old.example.com"), cname.getTarget());
    assertEquals(300, cname.getTTL());
  }

  @ParameterizedTest
  @ValueSource(strings = {"A", "AAAA", "SRV"})
  void answersTheCnameForOtherTypesOnACnameService(String type) {
    Message reply = ask("legacy.app.local", Type.value(type));

    assertEquals(Rcode.NOERROR, reply.getRcode());
    List<Record> answer = answers(reply);
    assertEquals(1, answer.size());
    assertEquals(Type.CNAME, answer.get(0).getType());
    assertEquals("old.example.com.", answer.get(0).rdataToString());
  }

  @Test
  void returnsOnlyAnswerableInstancesForMultivalue() {
    for (int i = 0; i < 20; i++) {
      assertEquals(
          Set.of("10.0.0.1", "10.0.0.2"), values(answers(ask("backend-api.app.local", Type.A))));
      assertEquals(
          Set.of("fd00:0:0:0:0:0:0:1"), values(answers(ask("backend-api.app.local", Type.AAAA))));
    }
  }

  @Test
  void answersAtMostEightDistinctInstancesForMultivalue() {
    Set<String> healthy =
        IntStream.rangeClosed(1, 20).mapToObj(i -> "10.9.0." + i).collect(Collectors.toSet());
    for (int i = 0; i < 50; i++) {
      List<Record> answer = answers(ask("many.app.local", Type.A));

      assertEquals(8, answer.size());
      Set<String> distinct = values(answer);
      assertEquals(8, distinct.size(), "no value twice in one answer");
      assertTrue(healthy.containsAll(distinct), () -> "unhealthy value in " + distinct);
    }
  }

  @Test
  void spreadsMultivalueAnswersOverEveryInstance() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      seen.addAll(values(answers(ask("many.app.local", Type.A))));
    }

    assertEquals(
        IntStream.rangeClosed(1, 20).mapToObj(i -> "10.9.0." + i).collect(Collectors.toSet()),
        seen);
  }

  @Test
  void answersExactlyOneInstanceForWeightedAndSpreadsOverAll() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      List<Record> answer = answers(ask("one-of-five.app.local", Type.A));

      assertEquals(1, answer.size());
      seen.addAll(values(answer));
    }

    assertEquals(
        IntStream.rangeClosed(1, 5).mapToObj(i -> "10.9.0." + i).collect(Collectors.toSet()), seen);
  }

  @Test
  void neverAnswersUnanswerableInstancesInSrvOrTheirHostNames() {
    Message srv = ask("_http._tcp.app.local", Type.SRV);
    Message host = ask("web-3._http._tcp.app.local", Type.A);

    assertTrue(
        srv.getSection(Section.ANSWER).stream()
            .map(r -> ((SRVRecord) r).getTarget().toString())
            .noneMatch(target -> target.startsWith("web-3.")));
    assertTrue(
        srv.getSection(Section.ADDITIONAL).stream()
            .noneMatch(r -> r.rdataToString().equals("10.0.1.3")));
    assertNegative(host, Rcode.NOERROR, "app.local", SOA_TTL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com", "local", "app.locals", "."})
  void refusesNamesOutsideEveryZoneWithoutAuthority(String name) {
    Message reply = ask(name, Type.A);

    assertEquals(Rcode.REFUSED, reply.getRcode());
    assertFalse(reply.getHeader().getFlag(Flags.AA));
    assertEquals(List.of(), answers(reply));
    assertEquals(List.of(), reply.getSection(Section.AUTHORITY));
  }

  @Test
  void matchesNamesCaseInsensitivelyAndAnswersInTheQuestionsCase() {
    Message reply = ask("BackEnd-API.App.LOCAL", Type.A);

    List<Record> answer = answers(reply);
    assertEquals(Set.of("10.0.0.1", "10.0.0.2"), values(answer));
    for (Record record : answer) {
      assertEquals("BackEnd-API.App.LOCAL.", record.getName().toString());
    }
  }

  static Stream<Arguments> queriesOfEveryKind() {
    return Stream.of(
        Arguments.of(DnsQueries.builder("Backend-API.app.local", Type.A).id(1).build()),
        Arguments.of(DnsQueries.builder("nope.app.local", Type.AAAA).id(2).build()),
        Arguments.of(DnsQueries.builder("example.com", Type.MX).id(3).build()),
        Arguments.of(DnsQueries.builder("app.local", Type.SOA).id(4).opcode(Opcode.NOTIFY).build()),
        Arguments.of(DnsQueries.builder("version.bind", Type.TXT).id(5).dclass(DClass.CH).build()),
        Arguments.of(DnsQueries.builder("app.local", Type.AXFR).id(6).build()),
        Arguments.of(DnsQueries.builder("app.local", Type.SOA).id(65_535).edns(1232, 1).build()));
  }

  @ParameterizedTest
  @MethodSource("queriesOfEveryKind")
  void echoesTheIdAndQuestionInEveryReply(Message query) {
    Message reply = engine.answer(query);

    assertEquals(query.getHeader().getID(), reply.getHeader().getID());
    assertTrue(reply.getHeader().getFlag(Flags.QR));
    assertEquals(1, reply.getSection(Section.QUESTION).size());
    Record asked = query.getQuestion();
    Record echoed = reply.getQuestion();
    assertEquals(asked.getName().toString(), echoed.getName().toString());
    assertEquals(asked.getType(), echoed.getType());
    assertEquals(asked.getDClass(), echoed.getDClass());
  }

  @Test
  void copiesRecursionDesiredWithoutOfferingRecursion() {
    Message withRd = ask("backend-api.app.local", Type.A);
    Message withoutRd =
        engine.answer(
            DnsQueries.builder("backend-api.app.local", Type.A).noRecursionDesired().build());

    assertTrue(withRd.getHeader().getFlag(Flags.RD));
    assertFalse(withoutRd.getHeader().getFlag(Flags.RD));
    assertFalse(withRd.getHeader().getFlag(Flags.RA));
  }

  @ParameterizedTest
  @ValueSource(ints = {Opcode.IQUERY, Opcode.STATUS, Opcode.NOTIFY, Opcode.UPDATE})
  void answersNotimpForOpcodesOtherThanQuery(int opcode) {
    Message reply = engine.answer(DnsQueries.builder("app.local", Type.SOA).opcode(opcode).build());

    assertEquals(Rcode.NOTIMP, reply.getRcode());
    assertEquals(opcode, reply.getHeader().getOpcode());
    assertEquals(List.of(), answers(reply));
  }

  @Test
  void answersFormerrForAQueryWithoutAQuestion() {
    Message reply = engine.answer(new Message(42));

    assertEquals(Rcode.FORMERR, reply.getRcode());
    assertEquals(42, reply.getHeader().getID());
  }

  @Test
  void echoesAnOptRecordWhenTheQueryHasOne() {
    Message reply = engine.answer(DnsQueries.query("backend-api.app.local", Type.A, 4096));

    OPTRecord opt = reply.getOPT();
    assertNotNull(opt);
    assertEquals(0, opt.getVersion());
    assertEquals(DnsAnswerEngine.MAX_UDP_PAYLOAD, opt.getPayloadSize());
    assertEquals(Rcode.NOERROR, reply.getRcode());
    assertEquals(2, answers(reply).size());
  }

  @Test
  void addsNoOptRecordWhenTheQueryHasNone() {
    assertNull(ask("backend-api.app.local", Type.A).getOPT());
  }

  @Test
  void answersBadversForEdnsVersionOne() {
    Message reply =
        engine.answer(DnsQueries.builder("backend-api.app.local", Type.A).edns(1232, 1).build());

    assertEquals(Rcode.BADVERS, reply.getRcode());
    OPTRecord opt = reply.getOPT();
    assertNotNull(opt, "BADVERS lives in the OPT record");
    assertEquals(0, opt.getVersion(), "we answer with the version we speak");
    assertEquals(List.of(), answers(reply));
  }

  @ParameterizedTest
  @ValueSource(strings = {"AXFR", "IXFR"})
  void refusesZoneTransfers(String type) {
    Message reply = ask("app.local", Type.value(type));

    assertEquals(Rcode.REFUSED, reply.getRcode());
    assertFalse(reply.getHeader().getFlag(Flags.AA));
  }

  @ParameterizedTest
  @CsvSource({"version.bind, TXT", "backend-api.app.local, A", "app.local, SOA"})
  void refusesChaosClassQueries(String name, String type) {
    Message reply =
        engine.answer(DnsQueries.builder(name, Type.value(type)).dclass(DClass.CH).build());

    assertEquals(Rcode.REFUSED, reply.getRcode());
    assertEquals(List.of(), answers(reply));
  }

  @Test
  void leavesInstanceIdsThatAreNotHostNamesOutOfSrvButAnswersTheirAddresses() {
    Message srv = ask("odd-ids.app.local", Type.SRV);
    Message a = ask("odd-ids.app.local", Type.A);

    assertEquals(Set.of("1 1 80 ok-1.odd-ids.app.local."), values(answers(srv)));
    assertEquals(Set.of("10.0.3.1", "10.0.3.2", "10.0.3.3", "10.0.3.4"), values(answers(a)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ip-10-0-3-2:80", "task/3", "me@host"})
  void givesInstanceIdsThatAreNotHostNamesNoHostRecords(String id) {
    Message reply = engine.answer(DnsQueries.query(id + ".odd-ids.app.local", Type.A));

    assertNegative(reply, Rcode.NXDOMAIN, "app.local", SOA_TTL);
  }

  @Test
  void givesSrvTargetAddressesTheSrvTtlWhenTheServiceHasNoAddressRecords() {
    Message reply = ask("srv-only.app.local", Type.SRV);

    assertEquals(Set.of("1 1 9000 s-1.srv-only.app.local."), values(answers(reply)));
    List<Record> additional = reply.getSection(Section.ADDITIONAL);
    assertEquals(
        Set.of(Type.A, Type.AAAA),
        additional.stream().map(Record::getType).collect(Collectors.toSet()));
    for (Record record : additional) {
      assertEquals(40, record.getTTL());
    }
    assertEquals(List.of(), answers(ask("srv-only.app.local", Type.A)), "no A without A records");
  }

  @Test
  void answersFromTheLongestMatchingZoneWhenZonesNest() {
    Message inner = ask("backend-api.staging.app.local", Type.A);
    Message missing = ask("nope.staging.app.local", Type.A);
    Message innerApex = ask("staging.app.local", Type.SOA);

    assertEquals(Set.of("10.1.0.1"), values(answers(inner)));
    assertNegative(missing, Rcode.NXDOMAIN, "staging.app.local", 120);
    assertEquals(DnsQueries.name("staging.app.local"), answers(innerApex).get(0).getName());
  }
}
