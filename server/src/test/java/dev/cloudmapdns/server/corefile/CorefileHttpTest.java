package dev.cloudmapdns.server.corefile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /coredns/corefile} of the running application and the {@code corefile} command that
 * prints it, for namespaces created through the API.
 */
class CorefileHttpTest {
  private static EmbeddedServer server;

  @BeforeAll
  static void start() throws Exception {
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
                "grpc.server.host",
                "0.0.0.0",
                "grpc.server.port",
                19953,
                "cloudmap.dns.listener-enabled",
                false,
                "cloudmap.store.type",
                "memory"));
    for (String name : new String[] {"app.local", "shop.local"}) {
      HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(base() + "/"))
                  .header("Content-Type", "application/x-amz-json-1.1")
                  .header("X-Amz-Target", "Route53AutoNaming_v20170314.CreatePrivateDnsNamespace")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"Name\":\"" + name + "\",\"Vpc\":\"vpc-1\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String base() {
    return "http://127.0.0.1:" + server.getPort();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(base() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void rendersTheParentDomainBlockForTheCurrentNamespaces() throws Exception {
    HttpResponse<String> response = get("/coredns/corefile?upstream=cloudmap-dns.kube-system:9953");
    assertEquals(200, response.statusCode());
    assertTrue(
        response.body().contains("\nlocal {\n    grpc . cloudmap-dns.kube-system:9953\n"),
        response.body());
    assertTrue(response.body().contains("# app.local shop.local {"), response.body());
  }

  @Test
  void defaultsToLoopbackWhenGrpcBindsEveryAddress() throws Exception {
    assertTrue(get("/coredns/corefile").body().contains("grpc . 127.0.0.1:19953\n"));
  }

  @Test
  void refusesAnUpstreamThatIsNotHostAndPort() throws Exception {
    HttpResponse<String> response = get("/coredns/corefile?upstream=nope");
    assertEquals(400, response.statusCode());
    assertEquals("upstream must be host:port, not nope\n", response.body());
  }

  @Test
  void theCorefileCommandPrintsWhatTheServerRenders() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        CorefileCommand.run(
            new String[] {"corefile", "--server", base(), "--upstream", "10.96.0.53:9953"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    assertEquals(
        get("/coredns/corefile?upstream=10.96.0.53:9953").body(),
        out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theCorefileCommandSaysWhenNoServerAnswers() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        CorefileCommand.run(
            new String[] {"corefile", "--server", "http://127.0.0.1:1"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(1, status);
    assertTrue(
        err.toString(StandardCharsets.UTF_8)
            .startsWith("cloudmap-dns corefile: cannot reach http://127.0.0.1:1/coredns/corefile"),
        err.toString(StandardCharsets.UTF_8));
  }
}
