package dev.cloudmapdns.benchmarks;

import dev.cloudmapdns.integration.CoreDnsProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (8): the embedded listener against Knot DNS serving the same zone ({@link BenchZone}),
 * measured by dnsperf over UDP, UDP with EDNS and TCP. The two servers run one after the other in
 * every round (ours, then Knot, for each mode), so a drift of the shared machine hits both; the
 * ratio is ours over Knot's, round by round.
 *
 * <p>{@code java -cp benchmarks.jar dev.cloudmapdns.benchmarks.UdpVsKnotDriver [rounds=3]
 * [seconds=10] [clients=4] [jar=server/target/cloudmap-dns.jar]}
 */
public final class UdpVsKnotDriver {
  private UdpVsKnotDriver() {}

  public static void main(String[] args) throws Exception {
    DriverArguments arguments = new DriverArguments(args);
    int rounds = arguments.number(0, 3);
    int seconds = arguments.number(1, 10);
    int clients = arguments.number(2, 4);
    Path jar = arguments.serverJar(3);
    Path directory = Files.createTempDirectory("cloudmap-dns-udp-");
    Path seed = BenchZone.seed(directory);
    Path queries = BenchZone.queries(directory, false);
    Map<Dnsperf.Mode, List<Double>> ratios = new EnumMap<>(Dnsperf.Mode.class);
    System.out.println("round | mode     | ours q/s | lost | Knot q/s | lost | ours/Knot");
    try (ServerProcess ours = ServerProcess.start(jar, "--store=memory", "--seed=" + seed);
        Knot knot = Knot.start(directory)) {
      for (Dnsperf.Mode mode : Dnsperf.Mode.values()) {
        // Warm-up: the JIT on our side, the caches on both.
        Dnsperf.run(ours.dnsPort, queries, mode, clients, 3);
        Dnsperf.run(knot.port, queries, mode, clients, 1);
      }
      for (int round = 1; round <= rounds; round++) {
        for (Dnsperf.Mode mode : Dnsperf.Mode.values()) {
          Dnsperf.Result a = Dnsperf.run(ours.dnsPort, queries, mode, clients, seconds);
          Dnsperf.Result b = Dnsperf.run(knot.port, queries, mode, clients, seconds);
          double ratio = a.queriesPerSecond() / b.queriesPerSecond();
          ratios.computeIfAbsent(mode, m -> new ArrayList<>()).add(ratio);
          System.out.printf(
              "%5d | %-8s | %8.0f | %4d | %8.0f | %4d | %.2f%n",
              round, mode, a.queriesPerSecond(), a.lost(), b.queriesPerSecond(), b.lost(), ratio);
        }
      }
    }
    ratios.forEach(
        (mode, list) ->
            System.out.printf(
                "%-8s median ours/Knot %.2f (min %.2f, max %.2f)%n",
                mode,
                list.stream().sorted().toList().get(list.size() / 2),
                list.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                list.stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
  }

  /** knotd (Debian's knot package) on a free loopback port, serving the bench zone. */
  private static final class Knot implements AutoCloseable {
    final int port;
    private final Process process;

    private Knot(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static Knot start(Path directory) throws Exception {
      BenchZone.zoneFile(directory);
      int port = CoreDnsProcess.freeDnsPort();
      Path config =
          Files.writeString(
              directory.resolve("knot.conf"),
              String.join(
                  "\n",
                  "server:",
                  "    listen: 127.0.0.1@" + port,
                  "    rundir: " + directory,
                  "log:",
                  "  - target: stderr",
                  "    any: warning",
                  "database:",
                  "    storage: " + directory.resolve("knot-db"),
                  "template:",
                  "  - id: default",
                  "    storage: " + directory,
                  "zone:",
                  "  - domain: " + BenchZone.APEX,
                  "    file: " + BenchZone.APEX + ".zone",
                  ""));
      Process process =
          new ProcessBuilder("knotd", "-c", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(directory.resolve("knotd.log").toFile())
              .start();
      Knot knot = new Knot(process, port);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!Dnsperf.run(port, BenchZone.queries(directory, false), Dnsperf.Mode.UDP, 1, 1)
          .answeredAny()) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          knot.close();
          throw new IllegalStateException(
              "knotd did not start: " + Files.readString(directory.resolve("knotd.log")));
        }
      }
      return knot;
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
