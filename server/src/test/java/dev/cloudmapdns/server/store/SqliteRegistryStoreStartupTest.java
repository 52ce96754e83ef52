package dev.cloudmapdns.server.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.registry.InstanceOwner;
import dev.cloudmapdns.server.registry.NamespaceSpec;
import dev.cloudmapdns.server.registry.NamespaceType;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryIdentity;
import dev.cloudmapdns.server.registry.RegistryStoreException;
import dev.cloudmapdns.server.store.SqliteRegistryStore.Synchronous;
import dev.cloudmapdns.server.testing.TestRegistries;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the store refuses at start-up, and that a refused file is left byte for byte as it was. The
 * tests run as root in CI, where permission bits do not stop writes; the store checks the bits.
 */
class SqliteRegistryStoreStartupTest {
  @TempDir Path directory;

  private static SqliteRegistryStore open(Path file) {
    return SqliteRegistryStore.open(file, Synchronous.FULL);
  }

  /** Opening {@code file} fails with a message naming it and containing {@code expected}. */
  private static String refused(Path file, String expected) throws IOException {
    byte[] bytes = Files.exists(file) ? Files.readAllBytes(file) : null;
    RegistryStoreException e = assertThrows(RegistryStoreException.class, () -> open(file));
    assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    if (bytes != null) {
      assertArrayEquals(bytes, Files.readAllBytes(file), "the refused file was changed");
    }
    return e.getMessage();
  }

  /** A real database with one namespace and enough rows to span several pages. */
  private Path realDatabase() {
    Path file = directory.resolve("real.db");
    try (Registry registry =
        new Registry(
            new RegistryIdentity(TestRegistries.REGION, TestRegistries.ACCOUNT),
            Clock.systemUTC(),
            dev.cloudmapdns.server.registry.InitialCheckStatus.UNKNOWN_UNTIL_CHECKED,
            open(file))) {
      for (int i = 0; i < 200; i++) {
        registry.createNamespace(
            new NamespaceSpec(
                "ns" + i + ".example", NamespaceType.HTTP, "x".repeat(200), null, null, null));
      }
    }
    return file;
  }

  private static void sql(Path file, String... statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  @Test
  void aSchemaOneFileIsMigratedAndItsInstancesBelongToTheApi() throws Exception {
    Path file = directory.resolve("v1.db");
    String v1;
    try (var in = Schema.class.getResourceAsStream("/db/sqlite/V1__registry.sql")) {
      v1 = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement()) {
      statement.executeUpdate(v1); // every statement of the script, as Schema.migrate runs it
    }
    sql(
        file,
        "PRAGMA user_version = 1",
        "INSERT INTO namespaces (id, name, type, soa_ttl, create_date)"
            + " VALUES ('ns-1', 'app.local', 'DNS_PRIVATE', 15, '2024-05-01T12:00:00Z')",
        "INSERT INTO services (id, name, namespace_id, routing_policy, dns_records, create_date)"
            + " VALUES ('srv-1', 'web', 'ns-1', 'MULTIVALUE', '[{\"type\":\"A\",\"ttl\":60}]',"
            + " '2024-05-01T12:00:00Z')",
        "INSERT INTO instances (service_id, id, attributes, registered_at, health)"
            + " VALUES ('srv-1', 'i-1', '{\"AWS_INSTANCE_IPV4\":\"127.0.0.1\"}',"
            + " '2024-05-01T12:00:00Z', 'HEALTHY')");

    try (SqliteRegistryStore store = open(file)) {
      assertEquals(
          InstanceOwner.API,
          store.load().services().get("srv-1").instances().get("i-1").instance().owner());
    }
  }

  @Test
  void createsAMissingDirectory() {
    Path file = directory.resolve("data/nested/cloudmap.db");
    try (SqliteRegistryStore store = open(file)) {
      assertTrue(Files.isRegularFile(file));
      assertEquals("sqlite " + file.toAbsolutePath() + " (synchronous=FULL)", store.describe());
    }
  }

  @Test
  void refusesADirectoryThatCannotBeCreated() throws IOException {
    Path blocker = Files.writeString(directory.resolve("data"), "a file, not a directory");
    refused(blocker.resolve("cloudmap.db"), "cannot create directory");
  }

  @Test
  void refusesRandomBytes() throws IOException {
    Path file = directory.resolve("cloudmap.db");
    byte[] noise = new byte[4096];
    new Random(42).nextBytes(noise);
    Files.write(file, noise);

    String message = refused(file, "is not a cloudmap-dns database or is damaged");
    assertTrue(message.endsWith("restore it from a backup or move it away"), message);
  }

  @Test
  void refusesADatabaseWithADamagedPage() throws IOException {
    Path file = realDatabase();
    long pages = Files.size(file) / 4096;
    assertTrue(pages > 4, "pages: " + pages);
    try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
      byte[] noise = new byte[4096];
      new Random(7).nextBytes(noise);
      raw.seek(4096 * (pages - 2));
      raw.write(noise);
    }

    refused(file, "is not a cloudmap-dns database or is damaged");
  }

  @Test
  void refusesATruncatedDatabase() throws IOException {
    Path file = realDatabase();
    try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
      raw.setLength(raw.length() / 2);
    }

    refused(file, "is not a cloudmap-dns database or is damaged");
  }

  @Test
  void refusesAReadOnlyFile() throws IOException {
    Path file = realDatabase();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));

    refused(file, "is read-only");
  }

  @Test
  void refusesAReadOnlyDirectory() throws IOException {
    Path file = realDatabase();
    Set<PosixFilePermission> writable = Files.getPosixFilePermissions(directory);
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      refused(file, "is not writable");
    } finally {
      Files.setPosixFilePermissions(directory, writable);
    }
  }

  @Test
  void refusesASchemaNewerThanThisBuild() throws Exception {
    Path file = realDatabase();
    sql(file, "PRAGMA journal_mode = DELETE", "PRAGMA user_version = " + (Schema.LATEST + 1));

    refused(
        file,
        "was written by a newer cloudmap-dns (schema "
            + (Schema.LATEST + 1)
            + ", this build knows up to "
            + Schema.LATEST
            + ")");
  }

  @Test
  void refusesAnotherApplicationsDatabase() throws Exception {
    Path file = directory.resolve("other.db");
    sql(
        file,
        "PRAGMA application_id = 42",
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)",
        "INSERT INTO customers (name) VALUES ('ada')");

    refused(file, "is a SQLite database of another application");
  }

  @Test
  void refusesAFileAnotherStoreHoldsUntilItIsClosed() throws IOException {
    Path file = directory.resolve("cloudmap.db");
    SqliteRegistryStore first = open(file);

    refused(file, "is in use by another cloudmap-dns");

    first.close();
    open(file).close();
  }

  @Test
  void commitsAfterCloseAreRefused() {
    SqliteRegistryStore store = open(directory.resolve("cloudmap.db"));
    store.close();

    RegistryStoreException e =
        assertThrows(RegistryStoreException.class, () -> store.commit(java.util.List.of()));
    assertEquals("store is closed", e.getMessage());
  }
}
