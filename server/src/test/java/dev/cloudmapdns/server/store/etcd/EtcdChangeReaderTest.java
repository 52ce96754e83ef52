package dev.cloudmapdns.server.store.etcd;

import static dev.cloudmapdns.server.testing.InstanceAttributes.attributes;
import static dev.cloudmapdns.server.testing.ServiceSpecBuilder.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cloudmapdns.server.registry.DeltaSet;
import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.InitialCheckStatus;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.RecordType;
import dev.cloudmapdns.server.registry.Registration;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryIdentity;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.RegistryStore;
import dev.cloudmapdns.server.registry.Service;
import dev.cloudmapdns.server.registry.ServicePatch;
import dev.cloudmapdns.server.testing.NamespaceSpecs;
import dev.cloudmapdns.server.testing.TestRegistries;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What a replica reads back from another writer's transactions is what that writer applied: every
 * batch a registry commits is planned as its etcd transaction, shown as the watch would show it (a
 * delete only of a key that exists), read back and applied on a follower's state, which must then
 * equal the writer's.
 */
class EtcdChangeReaderTest {
  private static final EtcdKeys KEYS = new EtcdKeys("/r/");

  /** Plans each committed batch as the store would, and replays it on a follower's state. */
  private static final class Replay implements RegistryStore {
    private final EtcdIndex writerIndex = new EtcdIndex();
    private final EtcdIndex followerIndex = new EtcdIndex();
    private final Set<String> existing = new HashSet<>();
    private RegistryState follower = RegistryState.empty();

    @Override
    public RegistryState load() {
      return RegistryState.empty();
    }

    @Override
    public void commit(List<DeltaSet> batch) {
      EtcdTransaction transaction = EtcdTransaction.plan(KEYS, writerIndex, batch, "writer");
      transaction.applyTo(writerIndex);
      List<EtcdChangeReader.KeyEvent> events = new ArrayList<>();
      transaction
          .writes()
          .forEach(
              (key, value) -> {
                if (value != null) {
                  existing.add(key);
                  events.add(new EtcdChangeReader.KeyEvent(key, value));
                } else if (existing.remove(key)) {
                  events.add(new EtcdChangeReader.KeyEvent(key, null));
                }
              });
      EtcdChangeReader.Read read = EtcdChangeReader.read(KEYS, events);
      read.index().applyTo(followerIndex);
      assertEquals("writer", read.mark().writer());
      follower = follower.apply(read.changes());
    }

    @Override
    public String describe() {
      return "replay";
    }

    @Override
    public void close() {}
  }

  private static void assertReplayed(Consumer<Registry> writes) {
    Replay replay = new Replay();
    Registry writer =
        new Registry(
            new RegistryIdentity(TestRegistries.REGION, TestRegistries.ACCOUNT),
            Clock.fixed(TestRegistries.NOW, ZoneOffset.UTC),
            InitialCheckStatus.UNKNOWN_UNTIL_CHECKED,
            replay);
    writes.accept(writer);
    RegistryState expected = writer.state();
    assertEquals(expected.namespaces(), replay.follower.namespaces());
    assertEquals(expected.services(), replay.follower.services());
    assertEquals(expected.operations(), replay.follower.operations());
    for (String id : expected.services().keySet()) {
      assertEquals(expected.tags(id), replay.follower.tags(id));
      assertEquals(expected.serviceAttributes(id), replay.follower.serviceAttributes(id));
    }
    for (String id : expected.namespaces().keySet()) {
      assertEquals(expected.tags(id), replay.follower.tags(id));
    }
  }

  private static Service backend(Registry registry) {
    Namespace namespace = registry.createNamespace(NamespaceSpecs.privateDns("app.local"));
    return registry.createService(
        service("backend").in(namespace.id()).records(RecordType.A).build());
  }

  @Test
  void registrationsWithTheirHealthAndInstancesRevision() {
    assertReplayed(
        registry -> {
          Service backend = backend(registry);
          registry.registerInstance(
              new Registration(
                  backend.id(), "i-1", attributes().ipv4("127.0.0.1").build(), "req-1"));
          registry.registerInstance(
              new Registration(backend.id(), "i-2", attributes().ipv4("127.0.0.2").build(), null));
          registry.registerInstance(
              new Registration(backend.id(), "i-1", attributes().ipv4("127.0.0.3").build(), null));
        });
  }

  @Test
  void customHealthWithoutTheInstance() {
    assertReplayed(
        registry -> {
          Namespace namespace = registry.createNamespace(NamespaceSpecs.http("custom.example"));
          Service checked =
              registry.createService(service("checked").in(namespace.id()).customHealth(1).build());
          registry.registerInstance(
              checked.id(), "i-1", attributes().ipv4("127.0.0.1").build(), null);
          registry.updateCustomHealth(checked.id(), "i-1", HealthStatus.UNHEALTHY);
        });
  }

  @Test
  void deregistrationAndDeletionOfEverything() {
    assertReplayed(
        registry -> {
          Service backend = backend(registry);
          registry.tagResource(backend.arn(), Map.of("team", "payments"));
          registry.updateServiceAttributes(backend.id(), Map.of("tier", "gold"));
          registry.registerInstance(
              backend.id(), "i-1", attributes().ipv4("127.0.0.1").build(), null);
          registry.deregisterInstance(backend.id(), "i-1");
          registry.deleteService(backend.id());
          registry.deleteNamespace(backend.namespaceId());
        });
  }

  @Test
  void tagsAttributesAndServiceUpdates() {
    assertReplayed(
        registry -> {
          Service backend = backend(registry);
          registry.tagResource(backend.arn(), Map.of("team", "payments", "env", "prod"));
          registry.untagResource(backend.arn(), List.of("env"));
          registry.updateServiceAttributes(backend.id(), Map.of("tier", "gold"));
          registry.deleteServiceAttributes(backend.id(), List.of("tier"));
          registry.updateService(backend.id(), new ServicePatch("new description", null, null));
        });
  }

  @Test
  void aTransactionWithoutAMarkIsReadWithNone() {
    EtcdChangeReader.Read read =
        EtcdChangeReader.read(
            KEYS, List.of(new EtcdChangeReader.KeyEvent("/elsewhere/key", new byte[] {1})));
    assertEquals(List.of(), read.changes());
    assertNull(read.mark());
  }
}
