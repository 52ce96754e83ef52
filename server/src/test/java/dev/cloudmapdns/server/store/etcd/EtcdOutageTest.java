package dev.cloudmapdns.server.store.etcd;

import static dev.cloudmapdns.server.testing.InstanceAttributes.attributes;
import static dev.cloudmapdns.server.testing.ServiceSpecBuilder.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.RecordType;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.RegistryStoreUnavailableException;
import dev.cloudmapdns.server.registry.Service;
import dev.cloudmapdns.server.registry.StoreStatus;
import dev.cloudmapdns.server.testing.Await;
import dev.cloudmapdns.server.testing.EtcdClusterExtension;
import dev.cloudmapdns.server.testing.NamespaceSpecs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replica while its etcd is down: it keeps its last state for DNS and reads, refuses writes as
 * unavailable (nothing half-applied), says so in its status, and catches up once etcd is back.
 */
class EtcdOutageTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  private final EtcdReplicas replicas = new EtcdReplicas(ETCD, "/cloudmap-dns/");

  @AfterEach
  void closeEverything() throws Exception {
    replicas.close();
  }

  private Registry replica() {
    return replicas.registry();
  }

  private static StoreStatus status(Registry registry) {
    return registry.storeStatus().orElseThrow();
  }

  @Test
  void servesTheLastStateRefusesWritesWhileEtcdIsDownAndCatchesUpWhenItIsBack() throws Exception {
    Registry a = replica();
    Registry c = replica();
    Namespace namespace = a.createNamespace(NamespaceSpecs.privateDns("app.local"));
    Service backend =
        a.createService(service("backend").in(namespace.id()).records(RecordType.A).build());
    a.registerInstance(backend.id(), "i-1", attributes().ipv4("127.0.0.11").build(), null);
    Await.until(
        () ->
            c.state().services().containsKey(backend.id())
                && c.state().services().get(backend.id()).instances().containsKey("i-1"),
        () -> "c did not catch up");
    RegistryState before = c.state();

    ETCD.cluster().kill(0);

    Await.until(
        Duration.ofSeconds(20), () -> !status(c).reachable(), () -> "c still thinks etcd is up");
    assertTrue(status(c).lastError() != null);
    assertEquals(before.services(), c.state().services()); // DNS and reads keep the last state
    RegistryStoreUnavailableException refused =
        assertThrows(
            RegistryStoreUnavailableException.class,
            () ->
                c.registerInstance(
                    backend.id(), "i-2", attributes().ipv4("127.0.0.12").build(), null));
    assertTrue(refused.getMessage().contains("nothing of it stored"), refused.getMessage());
    assertEquals(before.services(), c.state().services()); // nothing of the refused write

    ETCD.cluster().restart(0);

    Await.until(
        Duration.ofSeconds(30),
        () -> status(a).reachable() && status(c).reachable(),
        () -> "etcd not back for both replicas");
    a.registerInstance(backend.id(), "i-3", attributes().ipv4("127.0.0.13").build(), null);
    Await.until(
        Duration.ofSeconds(30),
        () -> c.state().services().get(backend.id()).instances().containsKey("i-3"),
        () -> "c did not catch up after the outage");
    c.registerInstance(backend.id(), "i-4", attributes().ipv4("127.0.0.14").build(), null);
    Await.until(
        () -> a.state().services().equals(c.state().services()),
        () -> "a did not see c's write after the outage");
    assertEquals(
        List.of("i-1", "i-3", "i-4"),
        List.copyOf(a.state().services().get(backend.id()).instances().keySet()));
    assertEquals(3, a.state().services().get(backend.id()).instancesRevision());
  }
}
