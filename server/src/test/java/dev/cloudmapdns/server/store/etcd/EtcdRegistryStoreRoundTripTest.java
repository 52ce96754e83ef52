package dev.cloudmapdns.server.store.etcd;

import dev.cloudmapdns.server.registry.RegistryStore;
import dev.cloudmapdns.server.store.RegistryStoreRoundTripContract;
import dev.cloudmapdns.server.testing.EtcdClusterExtension;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The round trip through a real one-member etcd: a restart is a new store (a new client) on the
 * same prefix. Each test has a prefix of its own, so they share one etcd process.
 */
class EtcdRegistryStoreRoundTripTest extends RegistryStoreRoundTripContract {
  private static final AtomicInteger TESTS = new AtomicInteger();

  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  /** A test instance per test method, so a prefix per test. */
  private final String prefix = "/round-trip-" + TESTS.incrementAndGet() + "/";

  @Override
  protected boolean keepsCheckHealth() {
    return true;
  }

  @Override
  protected RegistryStore openStore() {
    return EtcdRegistryStore.connect(EtcdSettings.plain(ETCD.endpoints()).withPrefix(prefix));
  }
}
