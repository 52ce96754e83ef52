package dev.cloudmapdns.server.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link EtcdCluster} for every test of a class: {@code @RegisterExtension static final
 * EtcdClusterExtension etcd = EtcdClusterExtension.members(1);}. Started before the first test (the
 * class is skipped, saying why, without an etcd binary), stopped after the last. Tests share it, so
 * each keeps its data under a key prefix of its own.
 */
public final class EtcdClusterExtension implements BeforeAllCallback, AfterAllCallback {
  private final int size;
  private Path directory;
  private EtcdCluster cluster;

  private EtcdClusterExtension(int size) {
    this.size = size;
  }

  public static EtcdClusterExtension members(int size) {
    return new EtcdClusterExtension(size);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    EtcdCluster.assumeAvailable();
    directory = Files.createTempDirectory("etcd-" + context.getRequiredTestClass().getSimpleName());
    cluster = EtcdCluster.start(directory, size);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (directory != null) {
      try (var paths = Files.walk(directory)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  public EtcdCluster cluster() {
    return cluster;
  }

  public List<String> endpoints() {
    return cluster.endpoints();
  }
}
