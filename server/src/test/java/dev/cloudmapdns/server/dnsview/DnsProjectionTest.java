package dev.cloudmapdns.server.dnsview;

import static dev.cloudmapdns.server.testing.InstanceAttributes.attributes;
import static dev.cloudmapdns.server.testing.NamespaceSpecs.http;
import static dev.cloudmapdns.server.testing.NamespaceSpecs.privateDns;
import static dev.cloudmapdns.server.testing.NamespaceSpecs.publicDns;
import static dev.cloudmapdns.server.testing.ServiceSpecBuilder.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.dns.engine.DnsAnswerEngine;
import dev.cloudmapdns.dns.zone.DnsZone;
import dev.cloudmapdns.dns.zone.DnsZoneCompiler;
import dev.cloudmapdns.dns.zone.ZoneAuthority;
import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.NamespaceSpec;
import dev.cloudmapdns.server.registry.NamespaceType;
import dev.cloudmapdns.server.registry.RecordType;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.Service;
import dev.cloudmapdns.server.testing.ServiceSpecBuilder;
import dev.cloudmapdns.server.testing.TestRegistries;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The registry as DNS sees it: a real registry feeding a real projection, queried through the
 * answer engine the CoreDNS edge uses. Every change is visible to the very next query.
 */
class DnsProjectionTest {
  private Registry registry;
  private DnsProjection projection;
  private DnsAnswerEngine engine;
  private Namespace appLocal;

  @BeforeEach
  void wire() {
    registry = TestRegistries.newRegistry();
    projection =
        new DnsProjection(new DnsZoneCompiler(ZoneAuthority.defaults()), new ZoneDefinitions());
    registry.addListener(projection);
    engine = new DnsAnswerEngine(projection);
    appLocal = registry.createNamespace(privateDns("app.local"));
  }

  @Test
  void theFirstStateIsBuiltOffTheCallerAndWaitedForByReaders() {
    Service service = backendApi();
    register(service, "backend-1", "127.0.0.1");
    DnsProjection fresh =
        new DnsProjection(new DnsZoneCompiler(ZoneAuthority.defaults()), new ZoneDefinitions());
    assertFalse(fresh.ready(), "nothing to build yet");

    fresh.onChange(registry.state());
    Message reply = new DnsAnswerEngine(fresh).answer(query("backend-api.app.local", Type.A));

    assertEquals(Set.of("127.0.0.1"), answers(reply), "a reader waits for the first build");
    assertTrue(fresh.ready());
    register(service, "backend-2", "127.0.0.2");
    fresh.onChange(registry.state());
    assertEquals(
        Set.of("127.0.0.1", "127.0.0.2"),
        answers(new DnsAnswerEngine(fresh).answer(query("backend-api.app.local", Type.A))),
        "later states apply on the caller, after the first");
  }

  private Service create(ServiceSpecBuilder spec) {
    return registry.createService(spec.in(appLocal.id()).build());
  }

  private Service backendApi() {
    return create(service("backend-api").records(RecordType.A));
  }

  private void register(Service service, String id, String ipv4) {
    registry.registerInstance(service.id(), id, attributes().ipv4(ipv4).port(8080).build(), null);
  }

  private Message ask(String name, int type) {
    return engine.answer(query(name, type));
  }

  private static Message query(String name, int type) {
    return Message.newQuery(Record.newRecord(absolute(name), type, DClass.IN));
  }

  private static Name absolute(String name) {
    try {
      return Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(name, e);
    }
  }

  /** The answer section's values (rdata as text), in any order. */
  private static Set<String> answers(Message reply) {
    return reply.getSection(Section.ANSWER).stream()
        .map(Record::rdataToString)
        .collect(Collectors.toSet());
  }

  private static void assertNoData(Message reply) {
    assertEquals(Rcode.NOERROR, reply.getRcode(), () -> reply.toString());
    assertTrue(reply.getSection(Section.ANSWER).isEmpty(), () -> reply.toString());
    List<Record> authority = reply.getSection(Section.AUTHORITY);
    assertEquals(1, authority.size(), () -> reply.toString());
    assertEquals(Type.SOA, authority.get(0).getType());
  }

  private long serial(String apex) {
    Message reply = ask(apex, Type.SOA);
    return ((SOARecord) reply.getSection(Section.ANSWER).get(0)).getSerial();
  }

  private DnsZone zone(String apex) {
    return projection.zones().findZone(absolute(apex)).orElseThrow();
  }

  @Test
  void aRegisteredInstanceIsAnsweredOnTheVeryNextQuery() {
    Service service = backendApi();

    register(service, "i-1", "127.0.0.1");

    Message reply = ask("backend-api.app.local", Type.A);
    assertEquals(Rcode.NOERROR, reply.getRcode());
    assertTrue(reply.getHeader().getFlag(Flags.AA));
    assertEquals(Set.of("127.0.0.1"), answers(reply));
  }

  @Test
  void answersEveryHealthyInstanceOfAMultivalueService() {
    Service service = backendApi();
    register(service, "i-1", "127.0.0.1");
    register(service, "i-2", "127.0.0.2");

    assertEquals(Set.of("127.0.0.1", "127.0.0.2"), answers(ask("backend-api.app.local", Type.A)));
  }

  @Test
  void answersNamesInAnyCase() {
    Service service = create(service("Backend-API").records(RecordType.A));
    register(service, "i-1", "127.0.0.1");

    assertEquals(Set.of("127.0.0.1"), answers(ask("BACKEND-api.App.Local", Type.A)));
  }

  @Test
  void aReRegisteredInstanceIsAnsweredWithItsNewAddress() {
    Service service = backendApi();
    register(service, "i-1", "127.0.0.1");

    register(service, "i-1", "127.0.0.9");

    assertEquals(Set.of("127.0.0.9"), answers(ask("backend-api.app.local", Type.A)));
  }

  @Test
  void aDeregisteredInstanceDisappears() {
    Service service = backendApi();
    register(service, "i-1", "127.0.0.1");
    register(service, "i-2", "127.0.0.2");

    registry.deregisterInstance(service.id(), "i-1");

    assertEquals(Set.of("127.0.0.2"), answers(ask("backend-api.app.local", Type.A)));
  }

  @Test
  void aServiceWithoutInstancesStillExistsAndAnswersNoData() {
    Service service = backendApi();
    register(service, "i-1", "127.0.0.1");

    registry.deregisterInstance(service.id(), "i-1");

    assertNoData(ask("backend-api.app.local", Type.A));
  }

  @Test
  void srvAnswersPointAtInstanceHostNamesThatCarryTheAddress() {
    Service service = create(service("backend-api").records(RecordType.A, RecordType.SRV));

    register(service, "i-1", "127.0.0.1");

    assertEquals(
        Set.of("1 1 8080 i-1.backend-api.app.local."),
        answers(ask("backend-api.app.local", Type.SRV)));
    assertEquals(Set.of("127.0.0.1"), answers(ask("i-1.backend-api.app.local", Type.A)));
  }

  @Test
  void unhealthyInstancesAreNotAnsweredUntilTheyAreHealthy() {
    Service service = create(service("backend-api").records(RecordType.A).customHealth());
    registry.registerInstance(
        service.id(), "i-1", attributes().ipv4("127.0.0.1").initHealth("UNHEALTHY").build(), null);
    assertNoData(ask("backend-api.app.local", Type.A));

    registry.updateHealth(service.id(), "i-1", HealthStatus.HEALTHY);
    assertEquals(Set.of("127.0.0.1"), answers(ask("backend-api.app.local", Type.A)));

    registry.updateHealth(service.id(), "i-1", HealthStatus.UNHEALTHY);
    assertNoData(ask("backend-api.app.local", Type.A));
  }

  @Test
  void unknownInstancesAreNotAnsweredUntilTheirFirstHealthyCheck() {
    Service service =
        create(service("backend-api").records(RecordType.A, RecordType.SRV).httpHealthCheck());
    register(service, "i-1", "127.0.0.1");
    register(service, "i-2", "127.0.0.2");
    assertNoData(ask("backend-api.app.local", Type.A));
    assertNoData(ask("backend-api.app.local", Type.SRV));
    assertNoData(ask("i-1.backend-api.app.local", Type.A));

    registry.updateHealth(service.id(), "i-1", HealthStatus.HEALTHY);

    assertEquals(Set.of("127.0.0.1"), answers(ask("backend-api.app.local", Type.A)));
    assertEquals(
        Set.of("1 1 8080 i-1.backend-api.app.local."),
        answers(ask("backend-api.app.local", Type.SRV)));
    assertEquals(Set.of("127.0.0.1"), answers(ask("i-1.backend-api.app.local", Type.A)));
    assertNoData(ask("i-2.backend-api.app.local", Type.A));
  }

  @Test
  void httpNamespacesHaveNoZone() {
    Namespace api = registry.createNamespace(http("api.internal"));
    Service service = registry.createService(service("orders").in(api.id()).build());
    registry.registerInstance(service.id(), "i-1", attributes().ipv4("127.0.0.1").build(), null);

    assertEquals(Rcode.REFUSED, ask("orders.api.internal", Type.A).getRcode());
    assertEquals(Rcode.REFUSED, ask("api.internal", Type.SOA).getRcode());
    assertEquals(1, projection.zones().zones().size());
  }

  @Test
  void servicesWithoutDnsRecordsHaveNoName() {
    Service apiOnly = create(service("api-only"));
    registry.registerInstance(apiOnly.id(), "i-1", attributes().ipv4("127.0.0.1").build(), null);

    Message reply = ask("api-only.app.local", Type.A);

    assertEquals(Rcode.NXDOMAIN, reply.getRcode());
    assertTrue(reply.getSection(Section.ANSWER).isEmpty());
  }

  @Test
  void everyDnsNamespaceIsAZoneWithItsSoaTtl() {
    registry.createNamespace(publicDns("example.com"));
    registry.createNamespace(
        new NamespaceSpec("short.local", NamespaceType.DNS_PRIVATE, null, 30L, "vpc-1", null));

    assertEquals(Rcode.NOERROR, ask("example.com", Type.SOA).getRcode());
    Message shortTtl = ask("short.local", Type.SOA);
    assertEquals(30, shortTtl.getSection(Section.ANSWER).get(0).getTTL());
    assertEquals(3, projection.zones().zones().size());
  }

  @Test
  void deletingANamespaceRemovesItsZone() {
    assertEquals(Rcode.NOERROR, ask("app.local", Type.SOA).getRcode());

    registry.deleteNamespace(appLocal.id());

    assertEquals(Rcode.REFUSED, ask("app.local", Type.SOA).getRcode());
    assertEquals(Rcode.REFUSED, ask("backend-api.app.local", Type.A).getRcode());
    assertTrue(projection.zones().zones().isEmpty());
  }

  @Test
  void aChangeInOneNamespaceDoesNotRecompileTheOthers() {
    Namespace other = registry.createNamespace(privateDns("other.local"));
    Service elsewhere =
        registry.createService(service("elsewhere").records(RecordType.A).in(other.id()).build());
    register(elsewhere, "e-1", "127.1.0.1");
    DnsZone otherZone = zone("other.local");
    DnsZone appZone = zone("app.local");

    Service service = backendApi();
    register(service, "i-1", "127.0.0.1");
    registry.updateHealth(service.id(), "i-1", HealthStatus.UNHEALTHY);

    assertSame(otherZone, zone("other.local"));
    assertNotSame(appZone, zone("app.local"));
  }

  @Test
  void tagsServiceAttributesAndOperationsDoNotWakeTheProjection() {
    Service service = backendApi();
    register(service, "i-1", "127.0.0.1");
    var before = projection.zones();

    registry.tagResource(service.arn(), java.util.Map.of("team", "payments"));
    registry.updateServiceAttributes(service.id(), java.util.Map.of("tier", "gold"));
    registry.tagResource(appLocal.arn(), java.util.Map.of("env", "test"));

    assertSame(before, projection.zones(), "the same zone set: nothing was recompiled");
  }

  @Test
  void aChangeToOneServiceKeepsTheOtherServicesNodesOfTheZone() {
    Service api = backendApi();
    Service web = create(service("web").records(RecordType.A, RecordType.SRV));
    register(api, "i-1", "127.0.0.1");
    register(web, "w-1", "127.0.0.2");
    DnsZone zone = zone("app.local");

    register(api, "i-2", "127.0.0.3");

    DnsZone after = zone("app.local");
    Name webName = absolute("web.app.local");
    Name webHost = absolute("w-1.web.app.local");
    assertSame(zone.nodes().get(webName), after.nodes().get(webName));
    assertSame(zone.nodes().get(webHost), after.nodes().get(webHost));
    assertEquals(Set.of("127.0.0.1", "127.0.0.3"), answers(ask("backend-api.app.local", Type.A)));
  }

  @Test
  void deletingAServiceRemovesItsNamesAndTheEmptyNonTerminalsOnlyItNeeded() {
    Service nested = create(service("_http._tcp").records(RecordType.SRV));
    register(nested, "n-1", "127.0.0.1");
    assertTrue(zone("app.local").emptyNonTerminals().contains(absolute("_tcp.app.local")));

    registry.deregisterInstance(nested.id(), "n-1");
    registry.deleteService(nested.id());

    DnsZone after = zone("app.local");
    assertFalse(after.nodes().containsKey(absolute("_http._tcp.app.local")));
    assertFalse(after.emptyNonTerminals().contains(absolute("_tcp.app.local")));
    assertEquals(Rcode.NXDOMAIN, ask("_tcp.app.local", Type.A).getRcode());
  }

  @Test
  void theSoaSerialGrowsWithEveryChangeToTheZone() {
    long created = serial("app.local");
    Service service = backendApi();
    long withService = serial("app.local");
    register(service, "i-1", "127.0.0.1");
    long registered = serial("app.local");
    registry.updateHealth(service.id(), "i-1", HealthStatus.UNHEALTHY);
    long unhealthy = serial("app.local");
    registry.deregisterInstance(service.id(), "i-1");
    long deregistered = serial("app.local");

    assertTrue(created < withService, created + " < " + withService);
    assertTrue(withService < registered, withService + " < " + registered);
    assertTrue(registered < unhealthy, registered + " < " + unhealthy);
    assertTrue(unhealthy < deregistered, unhealthy + " < " + deregistered);
  }

  @Test
  void aProjectionThatStartsListeningLateSeesTheCurrentRegistry() {
    Service service = backendApi();
    register(service, "i-1", "127.0.0.1");
    DnsProjection late =
        new DnsProjection(new DnsZoneCompiler(ZoneAuthority.defaults()), new ZoneDefinitions());

    registry.addListener(late);

    Message reply = new DnsAnswerEngine(late).answer(query("backend-api.app.local", Type.A));
    assertEquals(Set.of("127.0.0.1"), answers(reply));
  }
}
