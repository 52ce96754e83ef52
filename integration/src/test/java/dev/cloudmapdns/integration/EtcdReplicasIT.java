package dev.cloudmapdns.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudmapdns.dns.testing.CoreDnsLikeClient;
import dev.cloudmapdns.dns.testing.DnsQueries;
import dev.cloudmapdns.server.testing.EtcdCluster;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Three packaged replicas ({@code --store=etcd}) on one real three-member etcd cluster, as
 * docs/deploy/etcd describes: what one replica accepts, every replica answers; killing a replica
 * ({@code kill -9}) leaves the others answering and accepting writes, and a CoreDNS-like client
 * that lists all three keeps getting answers; killing one etcd member loses nothing acknowledged; a
 * replica started again catches up; killing a replica that runs health checks moves them to the
 * live ones within the lease TTL. The tests run in order on one fleet.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdReplicasIT {
  private static final Duration CONVERGE = Duration.ofSeconds(30);

  /** The replicas' lease TTL: a killed replica's health checks move to the others within it. */
  private static final Duration MEMBER_TTL = Duration.ofSeconds(3);

  private static Path directory;
  private static EtcdCluster etcd;
  private static final List<CloudMapDnsProcess> replicas = new ArrayList<>();
  private static final List<ManagedChannel> channels = new ArrayList<>();
  private static String namespaceId;
  private static String serviceId;

  @BeforeAll
  static void startTheFleet() throws Exception {
    EtcdCluster.assumeAvailable();
    directory = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "etcd-replicas-");
    etcd = EtcdCluster.start(directory, 3);
    for (int i = 0; i < 3; i++) {
      replicas.add(startReplica());
    }
    namespaceId = api(0).createPrivateDnsNamespace("fleet.test");
    serviceId =
        api(0)
            .call(
                "CreateService",
                Map.of(
                    "Name",
                    "backend",
                    "NamespaceId",
                    namespaceId,
                    "DnsConfig",
                    Map.of("DnsRecords", List.of(Map.of("Type", "A", "TTL", 10)))))
            .at("/Service/Id")
            .asText();
  }

  private static CloudMapDnsProcess startReplica() throws Exception {
    return CloudMapDnsProcess.start(
        "--store=etcd",
        "--etcd-endpoints=" + String.join(",", etcd.endpoints()),
        "--cloudmap.store.etcd.member-ttl=" + MEMBER_TTL.toSeconds() + "s",
        "--cloudmap.health.interval=500ms",
        "--cloudmap.health.timeout=250ms");
  }

  @AfterAll
  static void stopTheFleet() throws Exception {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    for (CloudMapDnsProcess replica : replicas) {
      replica.close();
    }
    if (etcd != null) {
      etcd.close();
    }
    if (directory != null) {
      try (var paths = Files.walk(directory)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private static CloudMapHttp api(int replica) {
    return new CloudMapHttp(replicas.get(replica).httpPort);
  }

  private static ManagedChannel channelTo(int replica) {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", replicas.get(replica).grpcPort)
            .usePlaintext()
            .build();
    channels.add(channel);
    return channel;
  }

  private static void register(int replica, String instanceId, String address)
      throws IOException, InterruptedException {
    api(replica)
        .call(
            "RegisterInstance",
            Map.of(
                "ServiceId",
                serviceId,
                "InstanceId",
                instanceId,
                "CreatorRequestId",
                "register-" + instanceId,
                "Attributes",
                Map.of("AWS_INSTANCE_IPV4", address)));
  }

  private static Set<String> answers(CoreDnsLikeClient client) {
    Message reply = client.query(DnsQueries.query("backend.fleet.test.", Type.A));
    if (reply.getRcode() != Rcode.NOERROR) {
      return Set.of("rcode " + Rcode.string(reply.getRcode()));
    }
    return reply.getSection(Section.ANSWER).stream()
        .map(Record::rdataToString)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> listed(int replica) throws IOException, InterruptedException {
    Set<String> ids = new TreeSet<>();
    for (JsonNode instance :
        api(replica).call("ListInstances", Map.of("ServiceId", serviceId)).get("Instances")) {
      ids.add(instance.get("Id").asText());
    }
    return ids;
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + CONVERGE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + CONVERGE + ": " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  @Order(1)
  void whatReplicaARegisteredReplicaCAnswers() throws Exception {
    register(0, "i-a", "127.0.1.1");
    CoreDnsLikeClient c = new CoreDnsLikeClient(channelTo(2));

    await(() -> answers(c).equals(Set.of("127.0.1.1")), "C answers A's registration");
    if (Dig.available()) {
      String dig = Dig.run(replicas.get(2).dnsPort, "backend.fleet.test", "A", "+short");
      assertEquals("127.0.1.1", dig.trim());
    }
  }

  @Test
  @Order(2)
  void everyReplicaAcceptsWritesAndEveryOneAnswersThemAll() throws Exception {
    register(1, "i-b", "127.0.1.2");
    register(2, "i-c", "127.0.1.3");
    Set<String> all = Set.of("127.0.1.1", "127.0.1.2", "127.0.1.3");
    for (int replica = 0; replica < 3; replica++) {
      CoreDnsLikeClient client = new CoreDnsLikeClient(channelTo(replica));
      int r = replica;
      await(() -> answers(client).equals(all), "replica " + r + " answers all three");
    }
    JsonNode health = api(2).call("GetInstancesHealthStatus", Map.of("ServiceId", serviceId));
    assertEquals(3, health.get("Status").size());
  }

  @Test
  @Order(3)
  void killingReplicaALeavesBAndCAnsweringAndAcceptingWrites() throws Exception {
    CoreDnsLikeClient coredns =
        new CoreDnsLikeClient(channelTo(0), channelTo(1), channelTo(2)); // A listed first

    replicas.get(0).kill();

    for (int i = 0; i < 20; i++) {
      CoreDnsLikeClient.Exchange exchange =
          coredns.exchange(DnsQueries.query("backend.fleet.test.", Type.A));
      assertEquals(CoreDnsLikeClient.Outcome.ANSWERED, exchange.outcome(), "query " + i);
      assertTrue(exchange.upstream() > 0, "answered by B or C once A is dead");
    }
    register(1, "i-after-kill", "127.0.1.4");
    CoreDnsLikeClient c = new CoreDnsLikeClient(channelTo(2));
    await(() -> answers(c).contains("127.0.1.4"), "C answers what B accepted after A died");
    await(() -> answers(coredns).contains("127.0.1.4"), "the three-upstream client sees it too");
  }

  @Test
  @Order(4)
  void killingOneEtcdMemberOfThreeLosesNothingAcknowledged() throws Exception {
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    ExecutorService writers = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> bursts = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int writer = w;
        bursts.add(
            writers.submit(
                () -> {
                  for (int n = 0; n < 15; n++) {
                    String id = "burst-" + writer + "-" + n;
                    try {
                      register(1 + writer % 2, id, "127.0.2." + (writer * 15 + n + 1));
                      acknowledged.add(id);
                    } catch (IOException e) {
                      // refused while etcd elected a new leader: not acknowledged, may retry
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                    if (writer == 0 && n == 5) {
                      etcd.kill(0);
                    }
                  }
                }));
      }
      for (Future<?> burst : bursts) {
        burst.get(120, TimeUnit.SECONDS);
      }
    } finally {
      writers.shutdownNow();
    }
    assertTrue(acknowledged.size() > 30, "most writes acknowledged: " + acknowledged.size());

    for (int replica = 1; replica < 3; replica++) {
      int r = replica;
      await(
          () -> {
            try {
              return listed(r).containsAll(acknowledged);
            } catch (IOException | InterruptedException e) {
              return false;
            }
          },
          "replica " + r + " lists every acknowledged registration");
    }
    etcd.restart(0);
  }

  @Test
  @Order(5)
  void aReplicaStartedAgainCatchesUpWithEverythingWrittenWhileItWasDown() throws Exception {
    Set<String> expected = listed(1);
    replicas.set(0, startReplica());

    assertEquals(expected, listed(0));
    register(0, "i-back", "127.0.1.5");
    CoreDnsLikeClient c = new CoreDnsLikeClient(channelTo(2));
    await(() -> answers(c).contains("127.0.1.5"), "C answers what the restarted A accepted");
  }

  @Test
  @Order(6)
  void killingAReplicaThatRunsHealthChecksMovesThemToTheOthersWithinTheLeaseTtl() throws Exception {
    List<LoopbackServers.Restartable> targets = new ArrayList<>();
    try {
      String checked =
          api(0)
              .call(
                  "CreateService",
                  Map.of(
                      "Name",
                      "checked",
                      "NamespaceId",
                      namespaceId,
                      "DnsConfig",
                      Map.of("DnsRecords", List.of(Map.of("Type", "A", "TTL", 0))),
                      "HealthCheckConfig",
                      Map.of("Type", "HTTP", "ResourcePath", "/health", "FailureThreshold", 1)))
              .at("/Service/Id")
              .asText();
      for (int i = 1; i <= 9; i++) {
        LoopbackServers.Restartable target = LoopbackServers.http("127.0.2." + i, null);
        targets.add(target);
        api(i % 3)
            .call(
                "RegisterInstance",
                Map.of(
                    "ServiceId",
                    checked,
                    "InstanceId",
                    "checked-" + i,
                    "Attributes",
                    Map.of(
                        "AWS_INSTANCE_IPV4",
                        target.address(),
                        "AWS_INSTANCE_PORT",
                        String.valueOf(target.port()))));
      }
      await(() -> healthy(2, checked) == 9, "the nine checked instances healthy on C");
      await(
          () -> activeChecks(0) + activeChecks(1) + activeChecks(2) == 9,
          "each instance checked by exactly one replica");
      int owner = 0;
      while (activeChecks(owner) == 0) {
        owner++; // nine instances over three replicas: some replica checks some
      }
      List<Integer> survivors = new ArrayList<>(List.of(0, 1, 2));
      survivors.remove(Integer.valueOf(owner));

      replicas.get(owner).kill();
      for (LoopbackServers.Restartable target : targets) {
        target.stop(); // every target fails from now on: only a live checker can notice
      }
      long killed = System.nanoTime();
      int a = survivors.get(0);
      int b = survivors.get(1);
      await(() -> healthy(a, checked) == 0, "every instance unhealthy once its checks moved");
      Duration taken = Duration.ofNanos(System.nanoTime() - killed);
      assertTrue(
          taken.compareTo(MEMBER_TTL.plusSeconds(3)) < 0,
          "the killed replica's checks resumed within its lease TTL (plus a probe): " + taken);
      assertEquals(0, healthy(b, checked), "both live replicas answer the same");
      await(() -> activeChecks(a) + activeChecks(b) == 9, "the two live replicas check all nine");
    } finally {
      for (LoopbackServers.Restartable target : targets) {
        target.close();
      }
    }
  }

  private static int healthy(int replica, String service) {
    try {
      int healthy = 0;
      JsonNode status =
          api(replica).call("GetInstancesHealthStatus", Map.of("ServiceId", service)).get("Status");
      for (JsonNode health : status) {
        healthy += "HEALTHY".equals(health.asText()) ? 1 : 0;
      }
      return healthy;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("replica " + replica + " did not answer", e);
    }
  }

  /** The replica's {@code cloudmap_health_active_checks} gauge: the checks it runs now. */
  private static long activeChecks(int replica) {
    try {
      return api(replica)
          .metrics()
          .lines()
          .filter(line -> line.startsWith("cloudmap_health_active_checks "))
          .mapToLong(line -> (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no cloudmap_health_active_checks on " + replica));
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("replica " + replica + " did not answer", e);
    }
  }
}
