package dev.cloudmapdns.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.api.ApiResponse;
import dev.cloudmapdns.dns.engine.DnsQueryRecorder.Channel;
import dev.cloudmapdns.dns.forward.ForwardingRecorder.Outcome;
import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.MemoryRegistryStore;
import dev.cloudmapdns.server.testing.RegistryFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;

/** What each meter counts, read back from an in-memory meter registry. */
class MetersTest {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  /** The DNS meters feed a collector of the Prometheus registry itself: read back by scraping. */
  private final PrometheusMeterRegistry prometheus = MetricsFactory.prometheus();

  private final DnsMeters dns = new DnsMeters(prometheus);

  private double count(String name, String... tags) {
    var counter = meters.find(name).tags(tags).counter();
    return counter == null ? -1 : counter.count();
  }

  @Test
  void countsDnsRepliesByTransportAndRcodeAndTimesThem() {
    dns.answered(Channel.UDP, Rcode.NOERROR, 1_000);
    dns.answered(Channel.UDP, Rcode.NOERROR, 2_000_000);
    dns.answered(Channel.TCP, Rcode.NXDOMAIN, 3_000);
    dns.answered(Channel.GRPC, Rcode.REFUSED, 4_000);

    String scraped = prometheus.scrape();
    assertScraped(scraped, "cloudmap_dns_queries_total{rcode=\"NOERROR\",transport=\"udp\"} 2.0");
    assertScraped(scraped, "cloudmap_dns_queries_total{rcode=\"NXDOMAIN\",transport=\"tcp\"} 1.0");
    assertScraped(scraped, "cloudmap_dns_queries_total{rcode=\"REFUSED\",transport=\"grpc\"} 1.0");
    assertFalse(scraped.contains("SERVFAIL"), "a counter appears with its first reply");
    assertScraped(scraped, "cloudmap_dns_query_seconds_bucket{transport=\"udp\",le=\"5.0E-5\"} 1");
    assertScraped(scraped, "cloudmap_dns_query_seconds_bucket{transport=\"udp\",le=\"0.001\"} 1");
    assertScraped(scraped, "cloudmap_dns_query_seconds_bucket{transport=\"udp\",le=\"0.002\"} 2");
    assertScraped(scraped, "cloudmap_dns_query_seconds_bucket{transport=\"udp\",le=\"+Inf\"} 2");
    assertScraped(scraped, "cloudmap_dns_query_seconds_count{transport=\"udp\"} 2");
    assertScraped(scraped, "cloudmap_dns_query_seconds_sum{transport=\"udp\"} 0.002001");
    assertScraped(scraped, "cloudmap_dns_query_seconds_count{transport=\"tcp\"} 1");
  }

  @Test
  void addsUpTheRepliesOfEveryRecordingThread() throws InterruptedException {
    Thread[] loops = new Thread[4];
    for (int i = 0; i < loops.length; i++) {
      loops[i] =
          new Thread(
              () -> {
                for (int reply = 0; reply < 25_000; reply++) {
                  dns.answered(Channel.UDP, Rcode.NOERROR, 10_000);
                }
              });
      loops[i].start();
    }
    for (Thread loop : loops) {
      loop.join();
    }

    String scraped = prometheus.scrape();
    assertScraped(
        scraped, "cloudmap_dns_queries_total{rcode=\"NOERROR\",transport=\"udp\"} 100000.0");
    assertScraped(scraped, "cloudmap_dns_query_seconds_count{transport=\"udp\"} 100000");
    assertScraped(scraped, "cloudmap_dns_query_seconds_sum{transport=\"udp\"} 1.0");
  }

  @Test
  void placesALatencyInTheFirstBucketThatHoldsIt() {
    assertEquals(0, QueryCounts.bucket(0));
    assertEquals(0, QueryCounts.bucket(50_000));
    assertEquals(1, QueryCounts.bucket(50_001));
    assertEquals(15, QueryCounts.bucket(5_000_000_000L));
    assertEquals(16, QueryCounts.bucket(5_000_000_001L), "above every bound: +Inf");
    assertEquals(16, QueryCounts.bucket(Long.MAX_VALUE));
  }

  private double forwarded(String outcome) {
    return prometheus.get("cloudmap.dns.forwarded").tag("outcome", outcome).counter().count();
  }

  private static void assertScraped(String scraped, String line) {
    assertTrue(scraped.lines().anyMatch(line::equals), () -> line + " not in:\n" + scraped);
  }

  @Test
  void countsForwardedQueriesByOutcome() {
    dns.forwarded(Outcome.ANSWERED);
    dns.forwarded(Outcome.FAILED);
    dns.forwarded(Outcome.FAILED);

    assertEquals(1, forwarded("answered"));
    assertEquals(0, forwarded("answered_after_failover"));
    assertEquals(2, forwarded("failed"));
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
