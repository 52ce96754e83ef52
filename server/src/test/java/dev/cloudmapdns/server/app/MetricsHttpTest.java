package dev.cloudmapdns.server.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.dns.testing.DnsQueries;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
  private static EmbeddedServer server;

  @BeforeAll
  static void start() {
    server =
        ApplicationContext.run(
            EmbeddedServer.class,
            Map.of(
                "micronaut.server.host",
                "127.0.0.1",
                "micronaut.server.port",
                -1,
                "grpc.server.enabled",
                false,
                "cloudmap.dns.listener-port",
                0,
                "cloudmap.store.type",
                "memory"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesPrometheusTextCountingQueriesApiCallsAndTheRegistry() throws Exception {
    int dnsPort = server.getApplicationContext().getBean(DnsListenerLifecycle.class).port();
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", dnsPort));
    resolver.setTimeout(Duration.ofSeconds(5));
    resolver.send(DnsQueries.query("outside.example", Type.A));
    HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Route53AutoNaming_v20170314.GetNamespace")
                .POST(HttpRequest.BodyPublishers.ofString("{\"Id\":\"ns-nope\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

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
