package dev.cloudmapdns.benchmarks;

import dev.cloudmapdns.integration.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (11): start-up to ready of the packaged server with an empty SQLite store (a new
 * database file each start) and its default settings (health workers on), without and with the
 * class-data archive, beside two references started the same way in every round: {@code java
 * -version} (the JVM alone) and {@link MinimalHealthServer} (a JVM answering {@code /health} from
 * the JDK's own HTTP server). "Ready" is from launching the JVM to the first {@code 200} from
 * {@code /health}; "CPU" is the CPU time the process had used by then (every thread: the main
 * thread, the JIT compilers, GC), which a loaded machine stretches far less than the wall clock.
 *
 * <p>First the archive is written by the documented training run ({@code java
 * -XX:ArchiveClassesAtExit=ARCHIVE -jar cloudmap-dns.jar --store=memory --exit-when-started}), then
 * one start with the archive and Micronaut's bean lifecycle log is broken down step by step ({@link
 * StartupBreakdown}), then the rounds alternate.
 *
 * <p>With a second jar (an earlier build, say), its two starts join every round too, each with its
 * own archive, so that before and after are measured side by side in one sitting.
 *
 * <p>{@code java -cp benchmarks.jar dev.cloudmapdns.benchmarks.StartupDriver [rounds=5]
 * [jar=server/target/cloudmap-dns.jar] [baseline jar]}
 */
public final class StartupDriver {
  private static final String DEFAULT = "cloudmap-dns, default JVM";
  private static final String ARCHIVE = "cloudmap-dns, class-data archive";
  private static final String MINIMAL = "JDK HTTP server (floor)";
  private static final String VERSION = "java -version";
  private static final String BASELINE_DEFAULT = "baseline jar, default JVM";
  private static final String BASELINE_ARCHIVE = "baseline jar, class-data archive";

  private StartupDriver() {}

  public static void main(String[] args) throws Exception {
    DriverArguments arguments = new DriverArguments(args);
    int rounds = arguments.number(0, 5);
    Path jar = arguments.serverJar(1).toAbsolutePath();
    Path directory = Files.createTempDirectory("cloudmap-dns-start-");
    Path archive = directory.resolve("cloudmap-dns.jsa");
    train(jar, archive, directory);
    Path baseline = args.length > 2 ? Path.of(args[2]).toAbsolutePath() : null;
    Path baselineArchive = directory.resolve("baseline.jsa");
    if (baseline != null) {
      train(baseline, baselineArchive, directory);
    }

    List<String> shared = List.of("-XX:SharedArchiveFile=" + archive);
    try (ServerProcess server =
        startServer(
            jar,
            directory,
            List.of(
                "-XX:SharedArchiveFile=" + archive,
                "-Dlogger.levels.io.micronaut.context.lifecycle=DEBUG"))) {
      System.out.print(
          StartupBreakdown.of(
                  server.output(),
                  server.launchedAtMillis,
                  TimeUnit.NANOSECONDS.toMillis(server.readyNanos))
              .render(15));
    }

    Map<String, List<long[]>> results = new LinkedHashMap<>();
    for (String label : List.of(VERSION, MINIMAL, DEFAULT, ARCHIVE)) {
      results.put(label, new ArrayList<>());
    }
    if (baseline != null) {
      results.put(BASELINE_DEFAULT, new ArrayList<>());
      results.put(BASELINE_ARCHIVE, new ArrayList<>());
    }
    System.out.println("round | what                             | ready ms | CPU ms");
    for (int round = 1; round <= rounds; round++) {
      record(results, round, VERSION, javaVersion());
      record(results, round, MINIMAL, minimal(jar));
      record(results, round, DEFAULT, timed(startServer(jar, directory, List.of())));
      record(results, round, ARCHIVE, timed(startServer(jar, directory, shared)));
      if (baseline != null) {
        record(
            results, round, BASELINE_DEFAULT, timed(startServer(baseline, directory, List.of())));
        record(
            results,
            round,
            BASELINE_ARCHIVE,
            timed(
                startServer(
                    baseline, directory, List.of("-XX:SharedArchiveFile=" + baselineArchive))));
      }
    }
    System.out.println("median of " + rounds + " rounds:");
    results.forEach(
        (label, samples) ->
            System.out.printf(
                "  %-34s ready %6d ms, CPU %6d ms%n",
                label, median(samples, 0), median(samples, 1)));
    long archived = median(results.get(ARCHIVE), 0);
    System.out.printf(
        "archive / default: ready %.2fx, CPU %.2fx; archive / JDK HTTP server: ready %.2fx;"
            + " target 1,500 ms: %s%n",
        (double) archived / median(results.get(DEFAULT), 0),
        (double) median(results.get(ARCHIVE), 1) / median(results.get(DEFAULT), 1),
        (double) archived / median(results.get(MINIMAL), 0),
        archived < 1_500 ? "met" : "not met");
    if (baseline != null) {
      System.out.printf(
          "this jar / baseline jar, with their archives: ready %.2fx, CPU %.2fx;"
              + " without: ready %.2fx, CPU %.2fx%n",
          (double) archived / median(results.get(BASELINE_ARCHIVE), 0),
          (double) median(results.get(ARCHIVE), 1) / median(results.get(BASELINE_ARCHIVE), 1),
          (double) median(results.get(DEFAULT), 0) / median(results.get(BASELINE_DEFAULT), 0),
          (double) median(results.get(DEFAULT), 1) / median(results.get(BASELINE_DEFAULT), 1));
    }
  }

  /** The training run documented in docs/configuration.md, "Start-up". */
  private static void train(Path jar, Path archive, Path directory) throws Exception {
    System.out.println("training run for " + jar);
    long training = System.nanoTime();
    Process train =
        new ProcessBuilder(
                ServerProcess.javaBinary(),
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
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - training), Files.size(archive) >> 20);
  }

  /** The server as a user starts it: default settings, only the ports and the store file set. */
  private static ServerProcess startServer(Path jar, Path directory, List<String> jvmOptions)
      throws Exception {
    Path store = Files.createTempDirectory(directory, "store-").resolve("cloudmap.db");
    int[] ports = FreePorts.pick(3);
    List<String> command = new ArrayList<>();
    command.add(ServerProcess.javaBinary());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "--store-file=" + store,
            "--micronaut.server.port=" + ports[0],
            "--grpc.server.port=" + ports[1],
            "--cloudmap.dns.listener-port=" + ports[2]));
    return ServerProcess.launch(command, ports);
  }

  private static long[] minimal(Path jar) throws Exception {
    Path benchmarks =
        Path.of(StartupDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    int port = FreePorts.pick(1)[0];
    return timed(
        ServerProcess.launch(
            List.of(
                ServerProcess.javaBinary(),
                "-cp",
                benchmarks.toString(),
                MinimalHealthServer.class.getName(),
                Integer.toString(port)),
            port));
  }

  private static long[] timed(ServerProcess server) throws Exception {
    try (server) {
      return new long[] {TimeUnit.NANOSECONDS.toMillis(server.readyNanos), server.cpuMillisAtReady};
    }
  }

  /** {@code java -version} to its exit; its CPU time is not read (the process is gone). */
  private static long[] javaVersion() throws Exception {
    long started = System.nanoTime();
    Process process =
        new ProcessBuilder(ServerProcess.javaBinary(), "-version")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    process.waitFor();
    return new long[] {TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), 0};
  }

  private static void record(
      Map<String, List<long[]>> results, int round, String label, long[] sample) {
    results.get(label).add(sample);
    System.out.printf("%5d | %-32s | %8d | %6d%n", round, label, sample[0], sample[1]);
  }

  private static long median(List<long[]> samples, int index) {
    return samples.stream()
        .mapToLong(sample -> sample[index])
        .sorted()
        .toArray()[samples.size() / 2];
  }
}
