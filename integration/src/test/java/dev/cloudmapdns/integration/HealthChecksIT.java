package dev.cloudmapdns.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cloudmapdns.integration.LoopbackServers.Restartable;
import dev.cloudmapdns.proto.v1.HealthStatus;
import dev.cloudmapdns.proto.v1.RegistryEvent;
import dev.cloudmapdns.proto.v1.RegistryWatchGrpc;
import dev.cloudmapdns.proto.v1.WatchRequest;
import dev.cloudmapdns.server.testing.SelfSignedTls;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server checking real local servers, seen through dig: instances leave DNS when their
 * server goes down and come back when it returns, within the failure window. Every probed address
 * is loopback, with a server started and stopped by this test.
 */
class HealthChecksIT {
  private static final Duration INTERVAL = Duration.ofMillis(300);
  private static final Duration TIMEOUT = Duration.ofMillis(250);
  private static final int HTTP_THRESHOLD = 2;

  /** Generous: the failure window is threshold x interval + timeout, well under a second here. */
  private static final Duration WITHIN = Duration.ofSeconds(15);

  private static Restartable backend1;
  private static Restartable backend2;
  private static Restartable tcp;
  private static Restartable healthyNeighbour;
  private static Restartable secure;
  private static ServerSocket hung;
  private static CloudMapDnsProcess server;
  @TempDir static Path directory;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Dig.available(), "dig is not installed (apt-get install dnsutils); skipping");
    backend1 = LoopbackServers.http("127.0.0.2", null);
    backend2 = LoopbackServers.http("127.0.0.3", null);
    tcp = LoopbackServers.tcp("127.0.0.4");
    hung = LoopbackServers.hung("127.0.0.5");
    healthyNeighbour = LoopbackServers.http("127.0.0.6", null);
    secure = LoopbackServers.http("127.0.0.7", SelfSignedTls.serverContext());
    Path seed = directory.resolve("health-seed.yaml");
    Files.writeString(
        seed,
        """
        namespaces:
          - name: app.local
            services:
              - name: backend-api
                dnsRecords: [{type: A, ttl: 0}]
                healthCheckConfig: {type: HTTP, resourcePath: /health, failureThreshold: %d}
                instances:
                  - {id: backend-1, attributes: {AWS_INSTANCE_IPV4: %s, AWS_INSTANCE_PORT: "%d"}}
                  - {id: backend-2, attributes: {AWS_INSTANCE_IPV4: %s, AWS_INSTANCE_PORT: "%d"}}
              - name: cache
                dnsRecords: [{type: A, ttl: 0}]
                healthCheckConfig: {type: TCP, failureThreshold: 1}
                instances:
                  - {id: cache-1, attributes: {AWS_INSTANCE_IPV4: %s, AWS_INSTANCE_PORT: "%d"}}
              - name: flaky
                dnsRecords: [{type: A, ttl: 0}]
                healthCheckConfig: {type: HTTP, resourcePath: /health, failureThreshold: 1}
                instances:
                  - {id: hung-1, attributes: {AWS_INSTANCE_IPV4: 127.0.0.5, AWS_INSTANCE_PORT: "%d"}}
                  - {id: fine-1, attributes: {AWS_INSTANCE_IPV4: %s, AWS_INSTANCE_PORT: "%d"}}
              - name: secure
                dnsRecords: [{type: A, ttl: 0}]
                healthCheckConfig: {type: HTTPS, resourcePath: /health, failureThreshold: 1}
                instances:
                  - {id: secure-1, attributes: {AWS_INSTANCE_IPV4: %s, AWS_INSTANCE_PORT: "%d"}}
        """
            .formatted(
                HTTP_THRESHOLD,
                backend1.address(),
                backend1.port(),
                backend2.address(),
                backend2.port(),
                tcp.address(),
                tcp.port(),
                hung.getLocalPort(),
                healthyNeighbour.address(),
                healthyNeighbour.port(),
                secure.address(),
                secure.port()));
    server =
        CloudMapDnsProcess.start(
            "--seed",
            seed.toString(),
            "--cloudmap.health.interval=" + INTERVAL.toMillis() + "ms",
            "--cloudmap.health.timeout=" + TIMEOUT.toMillis() + "ms");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    for (AutoCloseable closeable :
        new AutoCloseable[] {backend1, backend2, tcp, healthyNeighbour, secure, hung}) {
      if (closeable != null) {
        closeable.close();
      }
    }
  }

  @Test
  void anHttpBackendThatGoesDownLeavesDnsAndComesBackWhenItReturns() throws Exception {
    awaitAnswers("backend-api.app.local", Set.of("127.0.0.2", "127.0.0.3"));
    assertEquals(Set.of("backend-1", "backend-2"), discover("HEALTHY"));
    backend1.stop();
    long left = awaitAnswers("backend-api.app.local", Set.of("127.0.0.3"));
    // DiscoverInstances reflects the same registry state at once.
    assertEquals(Set.of("backend-2"), discover("HEALTHY"));
    assertEquals(Set.of("backend-1"), discover("UNHEALTHY"));
    backend1.start();
    long back = awaitAnswers("backend-api.app.local", Set.of("127.0.0.2", "127.0.0.3"));
    assertEquals(Set.of("backend-1", "backend-2"), discover("HEALTHY"));
    System.out.printf(
        "backend-1 left DNS %d ms after going down and came back %d ms after restarting"
            + " (failure window %d x %d ms + %d ms timeout)%n",
        left, back, HTTP_THRESHOLD, INTERVAL.toMillis(), TIMEOUT.toMillis());
  }

  @Test
  void aTcpServiceThatStopsListeningLeavesDnsAndComesBack() throws Exception {
    awaitAnswers("cache.app.local", Set.of("127.0.0.4"));
    tcp.stop();
    awaitAnswers("cache.app.local", Set.of());
    String nodata = Dig.run(server.dnsPort, "cache.app.local", "A");
    assertTrue(nodata.contains("status: NOERROR") && nodata.contains("ANSWER: 0"), nodata);
    tcp.start();
    awaitAnswers("cache.app.local", Set.of("127.0.0.4"));
  }

  @Test
  void aHungServerCostsATimeoutAndIsNeverAnswered() throws Exception {
    awaitAnswers("flaky.app.local", Set.of("127.0.0.6"));
    awaitLog("instance=hung-1 target=\"HTTP 127.0.0.5:" + hung.getLocalPort() + "/health\"");
    String output = server.output();
    assertTrue(
        output.contains(
            "instance=hung-1 target=\"HTTP 127.0.0.5:"
                + hung.getLocalPort()
                + "/health\" from=UNKNOWN to=UNHEALTHY reason=\"timeout\""),
        output);
    assertEquals(Set.of("127.0.0.6"), answers("flaky.app.local"));
  }

  @Test
  void anHttpsServiceWithASelfSignedCertificateIsHealthy() throws Exception {
    awaitAnswers("secure.app.local", Set.of("127.0.0.7"));
  }

  /**
   * The next event about {@code instanceId}: on a loaded machine the other instance's probe may
   * time out and flap meanwhile, which is a true event but not this test's subject.
   */
  private static RegistryEvent nextOf(Iterator<RegistryEvent> events, String instanceId) {
    RegistryEvent event = events.next();
    while (!event.getInstanceId().equals(instanceId)) {
      event = events.next();
    }
    return event;
  }

  @Test
  void aWatcherSeesTheTransitionAsItHappens() throws Exception {
    awaitAnswers("backend-api.app.local", Set.of("127.0.0.2", "127.0.0.3"));
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort).usePlaintext().build();
    try {
      Iterator<RegistryEvent> events =
          RegistryWatchGrpc.newBlockingStub(channel)
              .withDeadlineAfter(WITHIN.toMillis(), TimeUnit.MILLISECONDS)
              .watch(
                  WatchRequest.newBuilder()
                      .setNamespaceName("app.local")
                      .setServiceName("backend-api")
                      .build());
      // The current instances come first: after them, the subscription is certainly live.
      Set<String> current = Set.of(events.next().getInstanceId(), events.next().getInstanceId());
      assertEquals(Set.of("backend-1", "backend-2"), current);
      backend2.stop();
      RegistryEvent down = nextOf(events, "backend-2");
      assertEquals(RegistryEvent.Kind.HEALTH_CHANGED, down.getKind());
      assertEquals("backend-2", down.getInstanceId());
      assertEquals(HealthStatus.HEALTH_STATUS_UNHEALTHY, down.getHealth());
      assertEquals(HealthStatus.HEALTH_STATUS_HEALTHY, down.getPreviousHealth());
      backend2.start();
      RegistryEvent up = nextOf(events, "backend-2");
      assertEquals("backend-2", up.getInstanceId());
      assertEquals(HealthStatus.HEALTH_STATUS_HEALTHY, up.getHealth());
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      backend2.start(); // whatever happened, leave it running for the other tests
    }
    awaitAnswers("backend-api.app.local", Set.of("127.0.0.2", "127.0.0.3"));
  }

  @Test
  void countsChecksAndTransitionsOnTheHttpPort() throws Exception {
    awaitLog("instance=hung-1");
    String body = new CloudMapHttp(server.httpPort).metrics();
    assertTrue(body.contains("\ncloudmap_health_active_checks 6.0\n"), body);
    assertTrue(
        body.matches("(?s).*\ncloudmap_health_transitions_total\\{to=\"unhealthy\"} [1-9].*"),
        body);
  }

  /** The instance ids DiscoverInstances returns for backend-api with {@code healthStatus}. */
  private static Set<String> discover(String healthStatus) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort + "/"))
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .header("X-Amz-Target", "Route53AutoNaming_v20170314.DiscoverInstances")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"NamespaceName\":\"app.local\",\"ServiceName\":\"backend-api\","
                                + "\"HealthStatus\":\""
                                + healthStatus
                                + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    Matcher ids = Pattern.compile("\"InstanceId\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
    Set<String> found = new java.util.TreeSet<>();
    while (ids.find()) {
      found.add(ids.group(1));
    }
    return found;
  }

  /** Polls dig until the answer is exactly {@code expected}; returns how long that took. */
  private static long awaitAnswers(String name, Set<String> expected) throws Exception {
    long start = System.nanoTime();
    long deadline = start + WITHIN.toNanos();
    Set<String> last = null;
    while (System.nanoTime() < deadline) {
      last = answers(name);
      if (last.equals(expected)) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(
        name
            + ": expected "
            + expected
            + " within "
            + WITHIN
            + ", last "
            + last
            + "\n"
            + server.output());
  }

  private static void awaitLog(String text) throws Exception {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      if (server.output().contains(text)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no log line with " + text + "\n" + server.output());
  }

  private static Set<String> answers(String name) throws IOException, InterruptedException {
    return Arrays.stream(Dig.run(server.dnsPort, name, "A", "+short").split("\n"))
        .map(String::trim)
        .filter(line -> !line.isEmpty())
        .collect(Collectors.toSet());
  }
}
