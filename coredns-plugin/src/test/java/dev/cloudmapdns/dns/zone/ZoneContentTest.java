package dev.cloudmapdns.dns.zone;

import static dev.cloudmapdns.dns.testing.ZoneFixtures.instance;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.dns.testing.DnsQueries;
import dev.cloudmapdns.dns.testing.ZoneFixtures.ServiceBuilder;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** A zone's names kept service by service: what replacing one service changes, and nothing else. */
class ZoneContentTest {
  private final DnsZoneCompiler compiler = new DnsZoneCompiler(ZoneAuthority.defaults());
  private final Name apex = DnsQueries.name("app.local");

  private CompiledService compiled(ServiceBuilder service) {
    return compiler.compileService(apex, service.build());
  }

  private static Set<String> names(ZoneContent content) {
    return content.nodes().keySet().stream().map(Name::toString).collect(Collectors.toSet());
  }

  private static Set<String> emptyNonTerminals(ZoneContent content) {
    return content.emptyNonTerminals().stream().map(Name::toString).collect(Collectors.toSet());
  }

  @Test
  void replacingAServiceSwapsOnlyItsNames() {
    CompiledService web =
        compiled(service("web").srv(5).with(instance("w-1").ipv4("10.0.0.1").port(80)));
    CompiledService api =
        compiled(service("api").srv(5).with(instance("a-1").ipv4("10.0.0.2").port(80)));
    ZoneContent content = ZoneContent.of(apex, List.of(web, api));
    DnsNode webNode = content.nodes().get(DnsQueries.name("web.app.local"));

    CompiledService moved =
        compiled(service("api").srv(5).with(instance("a-2").ipv4("10.0.0.3").port(80)));
    ZoneContent next = content.replace(api, moved);

    assertEquals(
        Set.of("web.app.local.", "w-1.web.app.local.", "api.app.local.", "a-2.api.app.local."),
        names(next));
    assertSame(webNode, next.nodes().get(DnsQueries.name("web.app.local")));
    assertEquals(
        Set.of("web.app.local.", "w-1.web.app.local.", "api.app.local.", "a-1.api.app.local."),
        names(content),
        "the older content is unchanged");
  }

  @Test
  void emptyNonTerminalsComeAndGoWithTheNamesBelowThem() {
    CompiledService nested =
        compiled(service("_http._tcp").srv(5).with(instance("a.b").ipv4("10.0.0.1").port(80)));
    CompiledService sibling = compiled(service("_grpc._tcp").srv(5));
    ZoneContent both = ZoneContent.of(apex, List.of(nested, sibling));

    assertEquals(Set.of("_tcp.app.local.", "b._http._tcp.app.local."), emptyNonTerminals(both));
    ZoneContent one = both.replace(nested, null);
    assertEquals(Set.of("_tcp.app.local."), emptyNonTerminals(one), "_grpc._tcp still needs it");
    ZoneContent none = one.replace(sibling, null);
    assertTrue(emptyNonTerminals(none).isEmpty());
    assertTrue(names(none).isEmpty());
  }

  @Test
  void aServiceNameWinsOverACollidingHostNameAndTheHostComesBackWhenItGoes() {
    CompiledService api =
        compiled(service("api").srv(5).with(instance("v1").ipv4("10.0.0.1").port(80)));
    CompiledService v1 = compiled(service("v1.api").a(5).with(instance("x").ipv4("10.7.7.7")));
    Name name = DnsQueries.name("v1.api.app.local");
    ZoneContent content = ZoneContent.of(apex, List.of(api, v1));

    assertSame(v1.node(), content.nodes().get(name));
    ZoneContent without = content.replace(v1, null);
    assertSame(api.hosts().get(name), without.nodes().get(name));
    assertFalse(without.emptyNonTerminals().contains(name));
  }
}
