package dev.cloudmapdns.server.corefile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.app.TestApplication;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
  private static TestApplication app;

  @BeforeAll
  static void start() throws Exception {
    app =
        TestApplication.start(
            Map.of(
                "grpc.server.host",
                "0.0.0.0",
                "grpc.server.port",
                19953,
                "cloudmap.dns.listener-enabled",
                false));
    for (String name : new String[] {"app.local", "shop.local"}) {
      app.callApi("CreatePrivateDnsNamespace", "{\"Name\":\"" + name + "\",\"Vpc\":\"vpc-1\"}");
    }
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static String base() {
    return app.baseUrl();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return app.get(path);
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
