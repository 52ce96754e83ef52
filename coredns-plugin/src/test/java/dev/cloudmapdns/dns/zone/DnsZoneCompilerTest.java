package dev.cloudmapdns.dns.zone;

import static dev.cloudmapdns.dns.testing.ZoneFixtures.instance;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.service;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cloudmapdns.dns.testing.DnsQueries;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** How a zone definition becomes names and records. */
class DnsZoneCompilerTest {
  private final DnsZoneCompiler compiler = new DnsZoneCompiler(ZoneAuthority.defaults());

  private static Set<String> values(DnsZone zone, String name, int type) {
    RecordChoice choice = zone.nodes().get(DnsQueries.name(name)).choiceFor(type);
    return choice.choose(new Random(1)).stream()
        .map(Candidate::record)
        .map(Record::rdataToString)
        .collect(Collectors.toSet());
  }

  @ParameterizedTest
  @ValueSource(strings = {"app..local", "a.b\\"})
  void rejectsANamespaceThatIsNotADnsName(String name) {
    assertThrows(InvalidZoneException.class, () -> compiler.compile(zone(name).build()));
  }

  @Test
  void rejectsANamespaceWithALabelOver63Characters() {
    assertThrows(
        InvalidZoneException.class,
        () -> compiler.compile(zone("x".repeat(64) + ".local").build()));
  }

  @Test
  void storesNamesInLowerCase() {
    DnsZone zone =
        compiler.compile(
            zone("App.Local")
                .with(service("Web").srv(5).with(instance("Web-1").ipv4("10.0.0.1").port(80)))
                .build());

    assertEquals("app.local.", zone.apex().toString());
    assertEquals(
        Set.of("web.app.local.", "web-1.web.app.local."),
        zone.nodes().keySet().stream().map(Name::toString).collect(Collectors.toSet()));
  }

  @Test
  void recordsEveryEmptyNonTerminalBetweenANameAndTheApex() {
    DnsZone zone =
        compiler.compile(
            zone("app.local")
                .with(service("_http._tcp").srv(5).with(instance("a.b").ipv4("10.0.0.1").port(80)))
                .build());

    assertEquals(
        Set.of("_tcp.app.local.", "b._http._tcp.app.local."),
        zone.emptyNonTerminals().stream().map(Name::toString).collect(Collectors.toSet()));
  }

  @Test
  void letsAServiceNameWinOverACollidingInstanceHostName() {
    DnsZone zone =
        compiler.compile(
            zone("app.local")
                .with(
                    service("api").srv(5).with(instance("v1").ipv4("10.0.0.1").port(80)),
                    service("v1.api").a(5).with(instance("x").ipv4("10.7.7.7")))
                .build());

    assertEquals(Set.of("10.7.7.7"), values(zone, "v1.api.app.local", Type.A));
  }

  @Test
  void answersTheApexForTheServiceNamedDot() {
    DnsZone zone =
        compiler.compile(
            zone("app.local").with(service(".").a(5).with(instance("x").ipv4("10.0.0.9"))).build());

    assertEquals(Set.of("10.0.0.9"), values(zone, "app.local", Type.A));
  }

  @Test
  void skipsAddressesThatAreNotAddresses() {
    DnsZone zone =
        compiler.compile(
            zone("app.local")
                .with(
                    service("web")
                        .a(5)
                        .aaaa(5)
                        .with(
                            instance("good").ipv4("10.0.0.1").ipv6("fd00::1"),
                            instance("bad").ipv4("10.0.0.300").ipv6("10.0.0.2")))
                .build());

    assertEquals(Set.of("10.0.0.1"), values(zone, "web.app.local", Type.A));
    assertEquals(Set.of("fd00:0:0:0:0:0:0:1"), values(zone, "web.app.local", Type.AAAA));
  }
}
