package dev.cloudmapdns.server.app;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole application in the test's JVM for HTTP-level tests: the API and {@code /health}, {@code
 * /metrics}, ... on an ephemeral loopback port, the DNS listener on an ephemeral port, no gRPC
 * server and an in-memory store unless {@code overrides} say otherwise.
 */
public final class TestApplication implements AutoCloseable {
  private static final Map<String, Object> DEFAULTS =
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
          "memory");

  private final EmbeddedServer server;
  private final HttpClient client = HttpClient.newHttpClient();

  private TestApplication(EmbeddedServer server) {
    this.server = server;
  }

  /** Starts the application with {@code overrides} on top of the defaults above. */
  public static TestApplication start(Map<String, Object> overrides) {
    Map<String, Object> properties = new HashMap<>(DEFAULTS);
    properties.putAll(overrides);
    return new TestApplication(ApplicationContext.run(EmbeddedServer.class, properties));
  }

  /** The port of the HTTP server (API, {@code /health}, {@code /metrics}). */
  public int port() {
    return server.getPort();
  }

  /** {@code http://127.0.0.1:<port>} of the HTTP server. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public <T> T bean(Class<T> type) {
    return server.getApplicationContext().getBean(type);
  }

  /** The port the embedded DNS listener bound. */
  public int dnsPort() {
    return bean(DnsListenerLifecycle.class).port();
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create(baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** One Cloud Map API call as an SDK sends it (JSON 1.1, {@code X-Amz-Target}). */
  public HttpResponse<String> callApi(String operation, String body)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create(baseUrl() + "/"))
            .header("Content-Type", "application/x-amz-json-1.1")
            .header("X-Amz-Target", "Route53AutoNaming_v20170314." + operation)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    server.close();
  }
}
