package dev.cloudmapdns.benchmarks;

import dev.cloudmapdns.server.testing.LargeSeeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark (8): start-up of the packaged server with a large seed file into an empty store, side
 * by side with an empty start (no seed) in the same run. The seed is one namespace with services of
 * 1,000 A+SRV instances ({@link LargeSeeds}); each round starts on a fresh store. "Ready" is from
 * launching the JVM to the first healthy {@code /health}, which comes after the seed is checked (a
 * dry run), applied as one batch and its zones built; the driver then checks that DNS answers the
 * last instance.
 *
 * <p>{@code java -cp benchmarks.jar dev.cloudmapdns.benchmarks.SeedStartupDriver [instances=100000]
 * [rounds=3] [jar=server/target/cloudmap-dns.jar]}
 */
public final class SeedStartupDriver {
  private static final Pattern SEEDED = Pattern.compile("instances in (\\d+) ms");
  private static final Pattern PHASES =
      Pattern.compile("read in (\\d+) ms, checked in (\\d+) ms, applied and stored in (\\d+) ms");

  private SeedStartupDriver() {}

  public static void main(String[] args) throws Exception {
    int instances = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path jar = Path.of(args.length > 2 ? args[2] : "server/target/cloudmap-dns.jar");
    Path work = Files.createDirectories(Path.of("target", "seed-startup"));
    Path seed = LargeSeeds.write(work.resolve("seed.yaml"), instances, 0);
    System.out.printf(
        "seed of %d instances: %d KiB (%s)%n", instances, Files.size(seed) >> 10, seed);
    System.out.println(
        "round | start                 | ready ms | seed loaded ms | read | checked | applied");
    for (int round = 1; round <= rounds; round++) {
      start(jar, round, "empty, no seed", freshStore(work), null, null);
      start(
          jar,
          round,
          instances + " seeded",
          freshStore(work),
          seed,
          LargeSeeds.lastHost(instances));
    }
  }

  private static Path freshStore(Path work) throws Exception {
    return Files.createTempDirectory(work, "store-").resolve("cloudmap.db");
  }

  private static void start(
      Path jar, int round, String label, Path store, Path seed, String lastHost) throws Exception {
    String[] arguments =
        seed == null
            ? new String[] {"--store-file=" + store}
            : new String[] {"--store-file=" + store, "--seed", seed.toString()};
    try (ServerProcess server = ServerProcess.start(jar, arguments)) {
      String seeded = "-";
      String phases = "- | - | -";
      if (seed != null) {
        StoreStartupDriver.requireAnswer(server.dnsPort, lastHost);
        String log = server.output();
        Matcher loaded = SEEDED.matcher(log);
        seeded = loaded.find() ? loaded.group(1) : "?";
        Matcher phase = PHASES.matcher(log);
        phases =
            phase.find()
                ? phase.group(1) + " | " + phase.group(2) + " | " + phase.group(3)
                : "? | ? | ?";
      }
      System.out.printf(
          "%5d | %-21s | %8d | %14s | %s%n",
          round, label, server.readyNanos / 1_000_000, seeded, phases);
    }
  }
}
