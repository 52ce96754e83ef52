package dev.cloudmapdns.server.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cloudmapdns.server.registry.HealthCheckType;
import dev.cloudmapdns.server.testing.LocalHttpServer;
import dev.cloudmapdns.server.testing.SelfSignedTls;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real probes against real servers, all on loopback, all started and stopped here. */
class NettyProberTest {
  private static final Map<String, Integer> STATUSES =
      Map.of("/health", 200, "/created", 201, "/moved", 302, "/broken", 500, "/busy", 503);

  private static EventLoopGroup group;
  private static NettyProber prober;
  private static NettyProber impatient;

  @BeforeAll
  static void startLoop() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventLoop loop = group.next();
    // Generous for the first probes of a cold JVM (class loading, TLS set-up).
    prober = new NettyProber(loop, Duration.ofSeconds(5));
    impatient = new NettyProber(loop, Duration.ofMillis(300));
  }

  @AfterAll
  static void stopLoop() throws InterruptedException {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  private static ProbeResult probe(HealthCheckType type, String address, int port, String path)
      throws Exception {
    return probe(prober, type, address, port, path);
  }

  private static ProbeResult probe(
      NettyProber prober, HealthCheckType type, String address, int port, String path)
      throws Exception {
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    CheckTarget target = new CheckTarget(type, address, port, path, 1);
    group.next().execute(() -> prober.probe(target, result::complete));
    return result.get(10, TimeUnit.SECONDS);
  }

  @Test
  void httpPassesOn2xxAnd3xxAndFailsOnOthers() throws Exception {
    try (LocalHttpServer server = LocalHttpServer.http("127.0.0.1", STATUSES)) {
      int port = server.port();
      assertEquals(
          new ProbeResult(true, "http 200"),
          probe(HealthCheckType.HTTP, "127.0.0.1", port, "/health"));
      assertTrue(probe(HealthCheckType.HTTP, "127.0.0.1", port, "/created").healthy());
      assertEquals(
          new ProbeResult(true, "http 302"),
          probe(HealthCheckType.HTTP, "127.0.0.1", port, "/moved"));
      assertEquals(
          new ProbeResult(false, "http 500"),
          probe(HealthCheckType.HTTP, "127.0.0.1", port, "/broken"));
      assertFalse(probe(HealthCheckType.HTTP, "127.0.0.1", port, "/busy").healthy());
      assertEquals(
          new ProbeResult(false, "http 404"),
          probe(HealthCheckType.HTTP, "127.0.0.1", port, "/missing"));
    }
  }

  @Test
  void httpSendsAGetForThePathWithHostAndConnectionClose() throws Exception {
    try (LocalHttpServer server = LocalHttpServer.http("127.0.0.1", STATUSES)) {
      probe(HealthCheckType.HTTP, "127.0.0.1", server.port(), "/health");
      assertEquals(
          new LocalHttpServer.Seen("GET", "/health", "127.0.0.1:" + server.port(), "close"),
          server.requests.get(0));
    }
  }

  @Test
  void httpOverIpv6BracketsTheHostHeader() throws Exception {
    LocalHttpServer server;
    try {
      server = LocalHttpServer.http("::1", STATUSES);
    } catch (IOException e) {
      assumeTrue(false, "no IPv6 loopback here: " + e.getMessage());
      return;
    }
    try (server) {
      assertTrue(probe(HealthCheckType.HTTP, "::1", server.port(), "/health").healthy());
      assertEquals("[::1]:" + server.port(), server.requests.get(0).host());
    }
  }

  @Test
  void httpsPassesWithASelfSignedCertificate() throws Exception {
    try (LocalHttpServer server =
        LocalHttpServer.https("127.0.0.1", SelfSignedTls.serverContext(), STATUSES)) {
      assertEquals(
          new ProbeResult(true, "http 200"),
          probe(HealthCheckType.HTTPS, "127.0.0.1", server.port(), "/health"));
      assertEquals(
          new ProbeResult(false, "http 503"),
          probe(HealthCheckType.HTTPS, "127.0.0.1", server.port(), "/busy"));
    }
  }

  @Test
  void httpsFailsAgainstAPlainHttpServer() throws Exception {
    try (LocalHttpServer server = LocalHttpServer.http("127.0.0.1", STATUSES)) {
      // The plain server waits for a request line that never comes: a failure either way.
      assertFalse(
          probe(impatient, HealthCheckType.HTTPS, "127.0.0.1", server.port(), "/health").healthy());
    }
  }

  @Test
  void tcpPassesWhenTheConnectionIsEstablished() throws Exception {
    try (ServerSocket server = listening()) {
      assertEquals(
          new ProbeResult(true, "connected"),
          probe(HealthCheckType.TCP, "127.0.0.1", server.getLocalPort(), "/"));
    }
  }

  @Test
  void failsWhenNothingListens() throws Exception {
    int port;
    try (ServerSocket server = listening()) {
      port = server.getLocalPort();
    }
    assertEquals(
        new ProbeResult(false, "refused"), probe(HealthCheckType.TCP, "127.0.0.1", port, "/"));
    assertEquals(
        new ProbeResult(false, "refused"),
        probe(HealthCheckType.HTTP, "127.0.0.1", port, "/health"));
  }

  @Test
  void aServerThatAcceptsButNeverAnswersCostsATimeout() throws Exception {
    // The kernel completes the handshake from the backlog; nothing ever reads or writes.
    try (ServerSocket hung = listening()) {
      assertEquals(
          new ProbeResult(false, "timeout"),
          probe(impatient, HealthCheckType.HTTP, "127.0.0.1", hung.getLocalPort(), "/health"));
      assertEquals(
          new ProbeResult(false, "timeout"),
          probe(impatient, HealthCheckType.HTTPS, "127.0.0.1", hung.getLocalPort(), "/health"));
    }
  }

  @Test
  void refusesToProbeAHostName() throws Exception {
    assertEquals(
        new ProbeResult(false, "not an IP address"),
        probe(HealthCheckType.TCP, "localhost", 80, "/"));
  }

  private static ServerSocket listening() throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
    return socket;
  }
}
