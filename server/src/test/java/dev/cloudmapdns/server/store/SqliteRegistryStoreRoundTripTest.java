package dev.cloudmapdns.server.store;

import dev.cloudmapdns.server.registry.RegistryStore;
import dev.cloudmapdns.server.store.SqliteRegistryStore.Synchronous;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The round trip through one SQLite file, reopened for each restart. */
class SqliteRegistryStoreRoundTripTest extends RegistryStoreRoundTripContract {
  @TempDir Path directory;

  @Override
  protected RegistryStore openStore() {
    return SqliteRegistryStore.open(
        directory.resolve("data").resolve("cloudmap.db"), Synchronous.FULL);
  }
}
