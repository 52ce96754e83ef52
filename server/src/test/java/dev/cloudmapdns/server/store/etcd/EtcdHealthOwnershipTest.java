package dev.cloudmapdns.server.store.etcd;

import static dev.cloudmapdns.server.testing.InstanceAttributes.attributes;
import static dev.cloudmapdns.server.testing.ServiceSpecBuilder.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.health.HealthCheckRunner;
import dev.cloudmapdns.server.health.HealthMetrics;
import dev.cloudmapdns.server.health.HealthSettings;
import dev.cloudmapdns.server.registry.HealthCheckType;
import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.Service;
import dev.cloudmapdns.server.testing.Await;
import dev.cloudmapdns.server.testing.EtcdClusterExtension;
import dev.cloudmapdns.server.testing.LocalHttpServer;
import dev.cloudmapdns.server.testing.NamespaceSpecs;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Active checks once per instance across replicas: two replicas on one etcd split the instances by
 * lease-held membership, what the owner finds is stored so both answer the same, and when a replica
 * dies without leaving (its lease runs out) the other takes its checks over within one lease TTL.
 * The instances are a real HTTP server on loopback.
 */
class EtcdHealthOwnershipTest {
  private static final Duration TTL = Duration.ofSeconds(3);
  private static final int INSTANCES = 12;

  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  private final EtcdReplicas replicas = new EtcdReplicas(ETCD, "/cloudmap-dns/");
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>(Map.of("/health", 200));

  private record Replica(
      Registry registry,
      EtcdRegistryStore store,
      EtcdMembership membership,
      HealthMetrics metrics,
      HealthCheckRunner runner) {
    long activeChecks() {
      return metrics.snapshot().activeChecks();
    }
  }

  @AfterEach
  void closeEverything() throws Exception {
    replicas.close();
  }

  private Replica replica() {
    EtcdRegistryStore store = replicas.store();
    Registry registry = replicas.registryOn(store);
    EtcdMembership membership = replicas.closeLater(store.membership(TTL));
    HealthMetrics metrics = new HealthMetrics();
    HealthCheckRunner runner =
        new HealthCheckRunner(
            registry,
            new HealthSettings(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ZERO, 64),
            metrics,
            membership);
    replicas.closeLater(runner);
    return new Replica(registry, store, membership, metrics, runner);
  }

  private static long healthy(Replica replica, Service service, HealthStatus status) {
    return replica.registry().state().services().get(service.id()).instances().values().stream()
        .filter(instance -> instance.health() == status)
        .count();
  }

  @Test
  void eachInstanceIsCheckedByOneReplicaAndTheOtherTakesOverWhenItDies() throws Exception {
    LocalHttpServer target = replicas.closeLater(LocalHttpServer.http("127.0.0.1", statuses));
    Replica a = replica();
    Replica b = replica();
    Namespace namespace = a.registry().createNamespace(NamespaceSpecs.privateDns("checked.local"));
    Service checked =
        a.registry()
            .createService(
                service("checked")
                    .in(namespace.id())
                    .healthCheck(HealthCheckType.HTTP, "/health", 1)
                    .build());
    IntStream.range(0, INSTANCES)
        .forEach(
            i ->
                a.registry()
                    .registerInstance(
                        checked.id(),
                        "i-" + i,
                        attributes().ipv4("127.0.0.1").port(target.port()).build(),
                        null));

    Await.until(
        () -> a.membership().members().size() == 2 && b.membership().members().size() == 2,
        () -> "replicas did not see each other: " + a.membership().members());
    Await.until(
        () -> a.activeChecks() + b.activeChecks() == INSTANCES,
        () -> "checks: a " + a.activeChecks() + ", b " + b.activeChecks());
    assertTrue(a.activeChecks() > 0 && b.activeChecks() > 0, "both replicas check some");
    Await.until(
        () ->
            healthy(a, checked, HealthStatus.HEALTHY) == INSTANCES
                && healthy(b, checked, HealthStatus.HEALTHY) == INSTANCES,
        () -> "not every replica answers every instance HEALTHY");

    a.runner().close(); // replica A dies: no more checks, no keep-alive, its lease runs out
    a.store().close();
    statuses.put("/health", 500);

    Await.until( // within the lease TTL, plus etcd's expiry granularity and the machine's load
        TTL.plusSeconds(5),
        () -> b.activeChecks() == INSTANCES,
        () -> "b took over " + b.activeChecks() + " of " + INSTANCES + " checks");
    Await.until(
        () -> healthy(b, checked, HealthStatus.UNHEALTHY) == INSTANCES,
        () -> "b did not find every instance UNHEALTHY");
    assertEquals(1, b.membership().members().size());
  }
}
