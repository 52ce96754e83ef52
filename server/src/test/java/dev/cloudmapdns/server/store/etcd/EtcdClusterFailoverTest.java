package dev.cloudmapdns.server.store.etcd;

import static dev.cloudmapdns.server.testing.InstanceAttributes.attributes;
import static dev.cloudmapdns.server.testing.ServiceSpecBuilder.service;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cloudmapdns.server.registry.InitialCheckStatus;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.RecordType;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryIdentity;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.Service;
import dev.cloudmapdns.server.testing.EtcdCluster;
import dev.cloudmapdns.server.testing.NamespaceSpecs;
import dev.cloudmapdns.server.testing.TestRegistries;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A three-member etcd cluster: one member killed, the registry keeps writing, nothing is lost. */
class EtcdClusterFailoverTest {
  @TempDir Path directory;
  private EtcdCluster etcd;

  @BeforeEach
  void startCluster() throws IOException {
    EtcdCluster.assumeAvailable();
    etcd = EtcdCluster.start(directory, 3);
  }

  @AfterEach
  void stopCluster() {
    if (etcd != null) {
      etcd.close();
    }
  }

  private Registry registryOn(List<String> endpoints) {
    return new Registry(
        new RegistryIdentity(TestRegistries.REGION, TestRegistries.ACCOUNT),
        Clock.systemUTC(),
        InitialCheckStatus.UNKNOWN_UNTIL_CHECKED,
        EtcdRegistryStore.connect(EtcdSettings.plain(endpoints)));
  }

  @Test
  void killingOneMemberOfThreeLosesNothingAcknowledgedAndWritesGoOn() {
    RegistryState acknowledged;
    try (Registry registry = registryOn(etcd.endpoints())) {
      Namespace namespace = registry.createNamespace(NamespaceSpecs.privateDns("app.local"));
      Service backend =
          registry.createService(
              service("backend").in(namespace.id()).records(RecordType.A).build());
      register(registry, backend, 0, 10);

      etcd.kill(0);
      register(registry, backend, 10, 20);
      acknowledged = registry.state();
    }

    try (Registry survivor = registryOn(etcd.endpoints().subList(1, 3))) {
      RegistryState reloaded = survivor.state();
      assertEquals(acknowledged.version(), reloaded.version());
      assertEquals(acknowledged.namespaces(), reloaded.namespaces());
      assertEquals(acknowledged.services(), reloaded.services());
      assertEquals(acknowledged.operations(), reloaded.operations());
    }
  }

  private static void register(Registry registry, Service service, int from, int to) {
    for (int i = from; i < to; i++) {
      registry.registerInstance(
          service.id(), "i-" + i, attributes().ipv4("10.0.0." + (i + 1)).build(), null);
    }
  }
}
