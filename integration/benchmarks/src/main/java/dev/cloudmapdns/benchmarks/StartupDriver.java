package dev.cloudmapdns.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark (10): start-up of the packaged server on an empty SQLite store (a new database file
 * each start), without and with a class-data archive, alternating in every round. "Ready" is from
 * launching the JVM to the first {@code 200} from {@code /health}; "Micronaut" is the framework's
 * own "Startup completed" figure, from its start to every server listening.
 *
 * <p>The archive is written first, by the documented training run: {@code java
 * -XX:ArchiveClassesAtExit=ARCHIVE -jar cloudmap-dns.jar --store=memory --exit-when-started}.
 *
 * <p>{@code java -cp benchmarks.jar dev.cloudmapdns.benchmarks.StartupDriver [rounds=5]
 * [jar=server/target/cloudmap-dns.jar]}
 */
public final class StartupDriver {
  private static final Pattern MICRONAUT = Pattern.compile("Startup completed in (\\d+)ms");

  private StartupDriver() {}

  public static void main(String[] args) throws Exception {
    DriverArguments arguments = new DriverArguments(args);
    int rounds = arguments.number(0, 5);
    Path jar = arguments.serverJar(1);
    Path directory = Files.createTempDirectory("cloudmap-dns-start-");
    Path archive = directory.resolve("cloudmap-dns.jsa");
    long training = System.nanoTime();
    Process train =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ArchiveClassesAtExit=" + archive,
                "-jar",
                jar.toString(),
                "--store=memory",
                "--exit-when-started",
                "--micronaut.server.port=0",
                "--grpc.server.port=0",
                "--cloudmap.dns.listener-port=0")
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("training.log").toFile())
            .start();
    if (train.waitFor() != 0 || !Files.isRegularFile(archive)) {
      throw new IllegalStateException(
          "training run failed: " + Files.readString(directory.resolve("training.log")));
    }
    System.out.printf(
        "archive written in %d ms, %d MiB%n",
        (System.nanoTime() - training) / 1_000_000, Files.size(archive) >> 20);
    List<Long> plain = new ArrayList<>();
    List<Long> shared = new ArrayList<>();
    System.out.println("round | JVM                  | ready ms | Micronaut ms");
    for (int round = 1; round <= rounds; round++) {
      plain.add(start(jar, directory, round, "default", List.of()));
      shared.add(
          start(
              jar,
              directory,
              round,
              "class-data archive",
              List.of("-XX:SharedArchiveFile=" + archive)));
    }
    System.out.printf(
        "median ready: default %d ms, with the archive %d ms (%.2fx)%n",
        median(plain), median(shared), (double) median(shared) / median(plain));
  }

  private static long start(Path jar, Path directory, int round, String label, List<String> jvm)
      throws Exception {
    Path store = Files.createTempDirectory(directory, "store-").resolve("cloudmap.db");
    try (ServerProcess server = ServerProcess.start(jar, jvm, "--store-file=" + store)) {
      long ready = server.readyNanos / 1_000_000;
      Matcher micronaut = MICRONAUT.matcher(server.output());
      System.out.printf(
          "%5d | %-20s | %8d | %s%n",
          round, label, ready, micronaut.find() ? micronaut.group(1) : "?");
      return ready;
    }
  }

  private static long median(List<Long> values) {
    return values.stream().sorted().toList().get(values.size() / 2);
  }
}
