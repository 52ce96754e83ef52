package dev.cloudmapdns.server.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.dns.testing.DnsQueries;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** {@code GET /metrics} of the running application, after real queries and API calls. */
class MetricsHttpTest {
  private static TestApplication app;

  @BeforeAll
  static void start() {
    app = TestApplication.start(Map.of());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return app.get(path);
  }

  @Test
  void servesPrometheusTextCountingQueriesApiCallsAndTheRegistry() throws Exception {
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", app.dnsPort()));
    resolver.setTimeout(Duration.ofSeconds(5));
    resolver.send(DnsQueries.query("outside.example", Type.A));
    app.callApi("GetNamespace", "{\"Id\":\"ns-nope\"}");

    HttpResponse<String> metrics = get("/metrics");

    assertEquals(200, metrics.statusCode());
    assertTrue(
        metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
        metrics.headers().toString());
    String body = metrics.body();
    for (String line :
        new String[] {
          "cloudmap_dns_queries_total{rcode=\"REFUSED\",transport=\"udp\"} 1.0",
          "cloudmap_api_requests_total{error=\"NamespaceNotFound\",operation=\"GetNamespace\"} 1.0",
          "cloudmap_registry_namespaces 0.0",
          "cloudmap_watch_subscribers 0.0",
          "cloudmap_health_active_checks 0.0",
        }) {
      assertTrue(body.contains(line), line + " in\n" + body);
    }
    assertTrue(body.contains("cloudmap_dns_query_seconds_bucket{transport=\"udp\",le=\"0.001\"}"));
  }

  @Test
  void theHandWrittenHealthCountersAreGone() throws Exception {
    assertEquals(404, get("/healthchecks").statusCode());
  }
}
