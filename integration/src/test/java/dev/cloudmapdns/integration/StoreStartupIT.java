package dev.cloudmapdns.integration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up against a store file the server must not use: each is refused with one line on stderr
 * and exit status 2, and the file is left exactly as it was.
 */
class StoreStartupIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** Far above any schema this build knows. */
  private static final int FUTURE_SCHEMA = 1000;

  /** Ports the server may bind if it got that far: none fixed, so no clash with other tests. */
  private static final String[] ANY_PORTS = {
    "--micronaut.server.port=-1", "--grpc.server.port=0", "--cloudmap.dns.listener-port=0"
  };

  @Test
  void randomBytesAreRefusedAsNotOurDatabaseAndLeftUnchanged(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cloudmap.db");
    byte[] random = new byte[4096];
    new SecureRandom().nextBytes(random);
    Files.write(file, random);

    CloudMapDnsProcess.Finished run = runOn(file);

    String line = refusal(run);
    assertTrue(line.startsWith("cloudmap-dns: " + file + " "), line);
    assertTrue(line.contains(" is not a cloudmap-dns database or is damaged"), line);
    assertArrayEquals(random, Files.readAllBytes(file), "the refused file was changed");
    for (String suffix : List.of("-wal", "-shm", "-journal")) {
      Path sibling = dir.resolve(file.getFileName() + suffix);
      assertFalse(Files.exists(sibling), sibling + " was left next to the refused file");
    }
  }

  @Test
  void databaseOfNewerSchemaIsRefusedAndLeftUnchanged(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cloudmap.db");
    createStore(file);
    try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = sqlite.createStatement()) {
      statement.executeUpdate("PRAGMA user_version = " + FUTURE_SCHEMA);
      try (ResultSet version = statement.executeQuery("PRAGMA user_version")) {
        assertTrue(version.next());
        assertEquals(FUTURE_SCHEMA, version.getInt(1));
      }
    }
    Path wal = dir.resolve(file.getFileName() + "-wal");
    assertFalse(
        Files.exists(wal), "the setup left " + wal + ": the file alone is not the database");
    byte[] before = Files.readAllBytes(file);

    CloudMapDnsProcess.Finished run = runOn(file);

    String line = refusal(run);
    assertTrue(line.startsWith("cloudmap-dns: " + file + " "), line);
    assertTrue(line.contains("was written by a newer cloudmap-dns (schema " + FUTURE_SCHEMA), line);
    assertArrayEquals(before, Files.readAllBytes(file), "the refused file was changed");
    assertNoPendingWal(wal);
  }

  @Test
  void secondServerOnTheSameFileIsRefusedAndTheFirstKeepsServing(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("cloudmap.db");
    try (CloudMapDnsProcess first = CloudMapDnsProcess.start("--store-file=" + file)) {
      CloudMapHttp api = new CloudMapHttp(first.httpPort);
      createNamespace(api, "before.local");

      CloudMapDnsProcess.Finished second = runOn(file);

      String line = refusal(second);
      assertTrue(line.startsWith("cloudmap-dns: registry database " + file + " "), line);
      assertTrue(line.contains(" is in use by another cloudmap-dns"), line);
      assertEquals(200, health(first.httpPort), "the first server stopped answering /health");
      createNamespace(api, "after.local");
      List<String> names = new ArrayList<>();
      for (JsonNode namespace : api.call("ListNamespaces", "{}").get("Namespaces")) {
        names.add(namespace.get("Name").asText());
      }
      assertEquals(List.of("after.local", "before.local"), names.stream().sorted().toList());
    }
  }

  @Test
  void readOnlyDirectoryIsRefused(@TempDir Path dir) throws Exception {
    Path directory = Files.createDirectory(dir.resolve("store"));
    Path file = directory.resolve("cloudmap.db");
    createStore(file);
    byte[] before = Files.readAllBytes(file);
    CloudMapDnsProcess.Finished run = runWhile(directory, "r-xr-xr-x", file);

    String line = refusal(run);
    assertTrue(
        line.startsWith("cloudmap-dns: directory " + directory + " of the registry database "),
        line);
    assertTrue(line.contains(" is not writable; make it writable (chmod u+w)"), line);
    assertArrayEquals(before, Files.readAllBytes(file), "the refused file was changed");
  }

  @Test
  void readOnlyFileIsRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cloudmap.db");
    createStore(file);
    byte[] before = Files.readAllBytes(file);
    CloudMapDnsProcess.Finished run = runWhile(file, "r--r--r--", file);

    String line = refusal(run);
    assertTrue(line.startsWith("cloudmap-dns: registry database " + file + " "), line);
    assertTrue(line.contains(" is read-only; make it writable (chmod u+w)"), line);
    assertArrayEquals(before, Files.readAllBytes(file), "the refused file was changed");
  }

  @Test
  void unknownStoreTypeOnTheCommandLineIsRefused() throws Exception {
    CloudMapDnsProcess.Finished run = CloudMapDnsProcess.run(TIMEOUT, "--store=disk");
    assertEquals(2, run.exitCode(), run.stdout() + run.stderr());
    assertEquals(
        "cloudmap-dns: --store needs sqlite, etcd or memory, not disk",
        run.stderr().lines().findFirst().orElse(""),
        run.stderr());
  }

  @Test
  void unknownStoreTypePropertyIsRefusedBeforeAnyFileIsMade(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub").resolve("cloudmap.db");
    List<String> arguments =
        new ArrayList<>(List.of("--cloudmap.store.type=disk", "--store-file=" + file));
    arguments.addAll(List.of(ANY_PORTS));
    CloudMapDnsProcess.Finished run =
        CloudMapDnsProcess.run(TIMEOUT, arguments.toArray(String[]::new));
    assertEquals(
        "cloudmap-dns: cloudmap.store.type: must be sqlite, etcd or memory, not disk",
        refusal(run));
    assertFalse(Files.exists(file.getParent()), "a refused configuration created the store");
  }

  @Test
  void unknownSynchronousModeIsRefusedBeforeAnyFileIsMade(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub").resolve("cloudmap.db");
    List<String> arguments =
        new ArrayList<>(List.of("--cloudmap.store.synchronous=sometimes", "--store-file=" + file));
    arguments.addAll(List.of(ANY_PORTS));
    CloudMapDnsProcess.Finished run =
        CloudMapDnsProcess.run(TIMEOUT, arguments.toArray(String[]::new));
    assertEquals(
        "cloudmap-dns: cloudmap.store.synchronous: must be full or normal, not sometimes",
        refusal(run));
    assertFalse(Files.exists(file.getParent()), "a refused configuration created the store");
  }

  @Test
  void memoryStoreStartsWithoutWritingTheDefaultDatabase() throws Exception {
    Path data = Path.of("data").toAbsolutePath();
    assertFalse(Files.exists(data), data + " is left over from an earlier run; remove it first");
    try (CloudMapDnsProcess server = CloudMapDnsProcess.start("--store=memory")) {
      assertEquals(200, health(server.httpPort));
      createNamespace(new CloudMapHttp(server.httpPort), "memory.local");
      assertTrue(
          server.output().contains("registry store in memory"),
          "the server did not report the memory store:\n" + server.output());
    }
    assertFalse(Files.exists(data), "the memory store created " + data);
  }

  /** Runs the jar on {@code file}, with ports it may bind if it gets that far. */
  private static CloudMapDnsProcess.Finished runOn(Path file) throws Exception {
    List<String> arguments = new ArrayList<>(List.of("--store-file=" + file));
    arguments.addAll(List.of(ANY_PORTS));
    return CloudMapDnsProcess.run(TIMEOUT, arguments.toArray(String[]::new));
  }

  /** Asserts exit status 2 and one line on stderr, and returns that line. */
  private static String refusal(CloudMapDnsProcess.Finished run) {
    assertEquals(2, run.exitCode(), run.stdout() + run.stderr());
    List<String> lines = run.stderr().lines().toList();
    assertEquals(1, lines.size(), "stderr is not one line:\n" + run.stderr());
    assertTrue(lines.get(0).startsWith("cloudmap-dns: "), lines.get(0));
    return lines.get(0);
  }

  /** A registry database as the server writes it: started once on {@code file}, then stopped. */
  private static void createStore(Path file) throws Exception {
    try (CloudMapDnsProcess server = CloudMapDnsProcess.start("--store-file=" + file)) {
      createNamespace(new CloudMapHttp(server.httpPort), "created.local");
    }
    assertTrue(Files.size(file) > 0, file + " was not written");
  }

  /**
   * A WAL with frames left beside a file would change what it reads as; an empty one does not. (The
   * server's read-only check of a WAL-mode file leaves an empty {@code -wal} and a {@code -shm}.)
   */
  private static void assertNoPendingWal(Path wal) throws IOException {
    assertTrue(
        !Files.exists(wal) || Files.size(wal) == 0,
        wal + " holds " + (Files.exists(wal) ? Files.size(wal) : 0) + " bytes");
  }

  private static void createNamespace(CloudMapHttp api, String name) throws Exception {
    String operation =
        api.call("CreatePrivateDnsNamespace", Map.of("Name", name, "Vpc", "vpc-1"))
            .get("OperationId")
            .asText();
    String status =
        api.call("GetOperation", Map.of("OperationId", operation)).at("/Operation/Status").asText();
    assertEquals("SUCCESS", status, "creating namespace " + name);
  }

  private static int health(int port) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + port + "/health").toURL().openConnection();
    connection.setConnectTimeout(5_000);
    connection.setReadTimeout(5_000);
    try {
      return connection.getResponseCode();
    } finally {
      connection.disconnect();
    }
  }

  /** Runs the server on {@code file} while {@code path} has only the permissions {@code mode}. */
  private static CloudMapDnsProcess.Finished runWhile(Path path, String mode, Path file)
      throws Exception {
    Set<PosixFilePermission> original = Files.getPosixFilePermissions(path);
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    try {
      return runOn(file);
    } finally {
      Files.setPosixFilePermissions(path, original);
    }
  }
}
