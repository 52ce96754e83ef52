package dev.cloudmapdns.server.store.etcd;

import dev.cloudmapdns.server.registry.InitialCheckStatus;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryIdentity;
import dev.cloudmapdns.server.registry.RegistryStore;
import dev.cloudmapdns.server.testing.EtcdClusterExtension;
import dev.cloudmapdns.server.testing.TestRegistries;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Stores and registries of one test on its etcd, all under one key prefix, as replicas of one
 * registry would be; everything opened is closed together, newest first.
 */
final class EtcdReplicas implements AutoCloseable {
  private final EtcdClusterExtension etcd;
  private final String prefix;
  private final List<AutoCloseable> opened = new ArrayList<>();

  EtcdReplicas(EtcdClusterExtension etcd, String prefix) {
    this.etcd = etcd;
    this.prefix = prefix;
  }

  /** A store with the tests' settings (etcd's default {@code --max-txn-ops} included). */
  EtcdRegistryStore store() {
    return store(settings -> settings);
  }

  EtcdRegistryStore store(UnaryOperator<EtcdSettings> adjust) {
    return closeLater(
        EtcdRegistryStore.connect(
            adjust.apply(EtcdSettings.plain(etcd.endpoints()).withPrefix(prefix))));
  }

  /** A replica: a registry on a store of its own. */
  Registry registry() {
    return registryOn(store());
  }

  Registry registryOn(RegistryStore store) {
    Registry registry =
        new Registry(
            new RegistryIdentity(TestRegistries.REGION, TestRegistries.ACCOUNT),
            Clock.systemUTC(),
            InitialCheckStatus.UNKNOWN_UNTIL_CHECKED,
            store);
    closeLater(registry::close);
    return registry;
  }

  <T extends AutoCloseable> T closeLater(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  @Override
  public void close() {
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while closing", e);
      } catch (Exception e) {
        throw new IllegalStateException("could not close " + opened.get(i), e);
      }
    }
  }
}
