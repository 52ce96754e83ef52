package dev.cloudmapdns.benchmarks;

import dev.cloudmapdns.dns.engine.DnsAnswerEngine;
import dev.cloudmapdns.dns.zone.DnsZoneCompiler;
import dev.cloudmapdns.dns.zone.ZoneAuthority;
import dev.cloudmapdns.server.dnsview.DnsProjection;
import dev.cloudmapdns.server.dnsview.ZoneDefinitions;
import dev.cloudmapdns.server.registry.DnsConfig;
import dev.cloudmapdns.server.registry.DnsRecord;
import dev.cloudmapdns.server.registry.HealthCheckConfig;
import dev.cloudmapdns.server.registry.NamespaceSpec;
import dev.cloudmapdns.server.registry.NamespaceType;
import dev.cloudmapdns.server.registry.RecordType;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryIdentity;
import dev.cloudmapdns.server.registry.RoutingPolicy;
import dev.cloudmapdns.server.registry.ServiceSpec;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The registry, its DNS projection and the answer engine wired as the application wires them, in
 * one process, with a namespace {@code app.local}.
 */
final class InProcessServer {
  final Registry registry =
      new Registry(new RegistryIdentity("us-east-1", "123456789012"), Clock.systemUTC());
  final DnsAnswerEngine engine;
  final String namespaceId;

  InProcessServer() {
    DnsProjection projection =
        new DnsProjection(
            new DnsZoneCompiler(ZoneAuthority.defaults()), new ZoneDefinitions(false));
    registry.addListener(projection);
    engine = new DnsAnswerEngine(projection);
    namespaceId =
        registry
            .createNamespace(
                new NamespaceSpec("app.local", NamespaceType.DNS_PRIVATE, null, null, "vpc", null))
            .id();
  }

  String service(String name, HealthCheckConfig check) {
    return registry
        .createService(
            new ServiceSpec(
                name,
                namespaceId,
                null,
                new DnsConfig(RoutingPolicy.MULTIVALUE, List.of(new DnsRecord(RecordType.A, 0))),
                check,
                null,
                null))
        .id();
  }

  /** The A answers for {@code <service>.app.local} through the engine. */
  Set<String> answers(Message query) {
    Message reply = engine.answer(query);
    Set<String> addresses = new TreeSet<>();
    for (Record record : reply.getSection(Section.ANSWER)) {
      if (record instanceof ARecord a) {
        addresses.add(a.getAddress().getHostAddress());
      }
    }
    return addresses;
  }

  static Message query(String service) {
    try {
      return Message.newQuery(
          Record.newRecord(Name.fromString(service + ".app.local."), Type.A, DClass.IN));
    } catch (org.xbill.DNS.TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
