package dev.cloudmapdns.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cloudmapdns.api.ApiResponse;
import dev.cloudmapdns.dns.engine.DnsQueryRecorder.Channel;
import dev.cloudmapdns.dns.forward.ForwardingRecorder.Outcome;
import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.MemoryRegistryStore;
import dev.cloudmapdns.server.testing.RegistryFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;

/** What each meter counts, read back from an in-memory meter registry. */
class MetersTest {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private double count(String name, String... tags) {
    var counter = meters.find(name).tags(tags).counter();
    return counter == null ? -1 : counter.count();
  }

  @Test
  void countsDnsRepliesByTransportAndRcodeAndTimesThem() {
    DnsMeters dns = new DnsMeters(meters);
    dns.answered(Channel.UDP, Rcode.NOERROR, 1_000);
    dns.answered(Channel.UDP, Rcode.NOERROR, 2_000);
    dns.answered(Channel.TCP, Rcode.NXDOMAIN, 3_000);
    dns.answered(Channel.GRPC, Rcode.REFUSED, 4_000);

    assertEquals(2, count("cloudmap.dns.queries", "transport", "udp", "rcode", "NOERROR"));
    assertEquals(1, count("cloudmap.dns.queries", "transport", "tcp", "rcode", "NXDOMAIN"));
    assertEquals(1, count("cloudmap.dns.queries", "transport", "grpc", "rcode", "REFUSED"));
    assertNull(
        meters.find("cloudmap.dns.queries").tags("rcode", "SERVFAIL").counter(),
        "a counter appears with its first reply");
    assertEquals(2, meters.find("cloudmap.dns.query").tags("transport", "udp").timer().count());
  }

  @Test
  void countsForwardedQueriesByOutcome() {
    DnsMeters dns = new DnsMeters(meters);
    dns.forwarded(Outcome.ANSWERED);
    dns.forwarded(Outcome.FAILED);
    dns.forwarded(Outcome.FAILED);

    assertEquals(1, count("cloudmap.dns.forwarded", "outcome", "answered"));
    assertEquals(0, count("cloudmap.dns.forwarded", "outcome", "answered_after_failover"));
    assertEquals(2, count("cloudmap.dns.forwarded", "outcome", "failed"));
  }

  private static ApiResponse error(String code) {
    return new ApiResponse(
        400,
        Map.of(),
        ("{\"__type\":\"" + code + "\",\"Message\":\"m\"}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void countsApiCallsByKnownOperationAndErrorCode() {
    ApiMeters api = new ApiMeters(meters);
    String prefix = "Route53AutoNaming_v20170314.";
    api.called(prefix + "ListNamespaces", new ApiResponse(200, Map.of(), new byte[0]));
    api.called(prefix + "GetService", error("ServiceNotFound"));
    api.called(prefix + "MadeUpOperation", error("UnknownOperationException"));
    api.called(null, error("UnknownOperationException"));
    api.called(prefix + "GetService", new ApiResponse(500, Map.of(), "not json".getBytes()));

    assertEquals(1, count("cloudmap.api.requests", "operation", "ListNamespaces", "error", "none"));
    assertEquals(
        1, count("cloudmap.api.requests", "operation", "GetService", "error", "ServiceNotFound"));
    assertEquals(
        2,
        count(
            "cloudmap.api.requests", "operation", "unknown", "error", "UnknownOperationException"));
    assertEquals(1, count("cloudmap.api.requests", "operation", "GetService", "error", "other"));
  }

  @Test
  void gaugesTheRegistrysSizeAndInstancesByHealthAsTheyChange() {
    RegistryFixture fixture = new RegistryFixture();
    String web = fixture.service("web", null);
    String api = fixture.service("api", RegistryFixture.http("/health", 1));
    fixture.register(web, "web-1", "10.0.0.1", 80);
    fixture.register(api, "api-1", "10.0.0.2", 80);
    fixture.register(api, "api-2", "10.0.0.3", 80);
    new RegistryMeters(fixture.registry, meters);

    assertEquals(1, meters.get("cloudmap.registry.namespaces").gauge().value());
    assertEquals(2, meters.get("cloudmap.registry.services").gauge().value());
    assertEquals(
        List.of(1.0, 0.0, 2.0), List.of(health("healthy"), health("unhealthy"), health("unknown")));

    fixture.registry.updateHealth(api, "api-1", HealthStatus.UNHEALTHY);
    assertEquals(
        List.of(1.0, 1.0, 1.0), List.of(health("healthy"), health("unhealthy"), health("unknown")));
  }

  private double health(String status) {
    return meters.get("cloudmap.registry.instances").tag("health", status).gauge().value();
  }

  @Test
  void timesEachStoreCommit() {
    TimedRegistryStore store = new TimedRegistryStore(new MemoryRegistryStore(), "memory", meters);
    store.commit(List.of());
    store.commit(List.of());
    assertEquals(2, meters.get("cloudmap.store.commit").tag("store", "memory").timer().count());
  }
}
