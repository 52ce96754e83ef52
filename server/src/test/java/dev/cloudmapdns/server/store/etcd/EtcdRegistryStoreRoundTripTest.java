package dev.cloudmapdns.server.store.etcd;

import dev.cloudmapdns.server.registry.RegistryStore;
import dev.cloudmapdns.server.store.RegistryStoreRoundTripContract;
import dev.cloudmapdns.server.testing.EtcdCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The round trip through a real one-member etcd: a restart is a new store (a new client) on the
 * same prefix. Each test has a prefix of its own, so they share one etcd process.
 */
class EtcdRegistryStoreRoundTripTest extends RegistryStoreRoundTripContract {
  private static final AtomicInteger TESTS = new AtomicInteger();

  @TempDir static Path directory;
  private static EtcdCluster etcd;

  /** A test instance per test method, so a prefix per test. */
  private final String prefix = "/round-trip-" + TESTS.incrementAndGet() + "/";

  @BeforeAll
  static void startEtcd() throws IOException {
    EtcdCluster.assumeAvailable();
    etcd = EtcdCluster.start(directory, 1);
  }

  @AfterAll
  static void stopEtcd() {
    if (etcd != null) {
      etcd.close();
    }
  }

  @Override
  protected RegistryStore openStore() {
    return EtcdRegistryStore.connect(EtcdSettings.plain(etcd.endpoints()).withPrefix(prefix));
  }
}
