package dev.cloudmapdns.benchmarks;

import dev.cloudmapdns.integration.CoreDnsProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Benchmark (9): the embedded listener against Knot DNS serving the same zone ({@link BenchZone}),
 * measured by dnsperf over UDP, UDP with EDNS and TCP. The servers run one after the other in every
 * round (ours, then each baseline given, then Knot, for each mode), so a drift of the shared
 * machine hits all; the ratio is each server's over Knot's, round by round.
 *
 * <p>Besides queries per second it reports the CPU time each server process spent per answered
 * query (user + system, all threads, from the OS): on a machine shared with other work the rate
 * follows how much CPU a server is given, while the CPU per answer is what the server costs.
 *
 * <p>{@code java -cp benchmarks.jar dev.cloudmapdns.benchmarks.UdpVsKnotDriver [rounds=3]
 * [seconds=10] [clients=4] [jar=server/target/cloudmap-dns.jar] [baseline...]}
 *
 * <p>Each baseline is a server jar, optionally followed by settings for it, comma-separated: {@code
 * old.jar} or {@code server/target/cloudmap-dns.jar,--cloudmap.dns.listener-event-loops=2}. They
 * are reported as base1, base2 and so on, in the order given.
 *
 * <p>With {@code -Dbench.server-cpus=0 -Dbench.client-cpus=1} ({@link CpuPinning}) every server,
 * Knot included, runs on CPU 0 and sizes its threads for one core, and dnsperf runs on CPU 1.
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
    Map<String, List<Double>> ratios = new TreeMap<>();
    System.out.println(CpuPinning.describe());
    System.out.println(
        "round | mode     | server   |      q/s | lost | CPU us/answer | q/s vs Knot | CPU vs Knot");
    List<ServerProcess> servers = new ArrayList<>();
    // Knot first: a server that fails to start then stops only what has started.
    try (Knot knot = Knot.start(directory)) {
      List<Target> targets = new ArrayList<>();
      ServerProcess ours = ServerProcess.start(jar, "--store=memory", "--seed=" + seed);
      servers.add(ours);
      targets.add(new Target("ours", ours.dnsPort, ours.pid()));
      for (int i = 4; i < args.length; i++) {
        ServerProcess baseline =
            ServerProcess.startWithSettings(args[i], "--store=memory", "--seed=" + seed);
        servers.add(baseline);
        targets.add(new Target("base" + (i - 3), baseline.dnsPort, baseline.pid()));
      }
      Target reference = new Target("Knot", knot.port, knot.pid());
      targets.add(reference);
      for (Dnsperf.Mode mode : Dnsperf.Mode.values()) {
        // Warm-up: the JIT on our side, the caches on both.
        for (Target target : targets) {
          Dnsperf.run(target.port, queries, mode, clients, target == reference ? 1 : 3);
        }
      }
      for (int round = 1; round <= rounds; round++) {
        for (Dnsperf.Mode mode : Dnsperf.Mode.values()) {
          List<Measured> measured = new ArrayList<>();
          for (Target target : targets) {
            measured.add(target.measure(queries, mode, clients, seconds));
          }
          Measured knotRun = measured.get(measured.size() - 1);
          for (Measured run : measured) {
            double rate = run.result.queriesPerSecond() / knotRun.result.queriesPerSecond();
            double cpu = run.cpuMicrosPerAnswer() / knotRun.cpuMicrosPerAnswer();
            if (run.target != reference) {
              ratios
                  .computeIfAbsent(run.target.name + " " + mode + " q/s", k -> new ArrayList<>())
                  .add(rate);
              ratios
                  .computeIfAbsent(
                      run.target.name + " " + mode + " CPU/answer", k -> new ArrayList<>())
                  .add(cpu);
            }
            System.out.printf(
                "%5d | %-8s | %-8s | %8.0f | %4d | %13.2f | %11.2f | %11.2f%n",
                round,
                mode,
                run.target.name,
                run.result.queriesPerSecond(),
                run.result.lost(),
                run.cpuMicrosPerAnswer(),
                rate,
                cpu);
          }
        }
      }
    } finally {
      for (ServerProcess server : servers) {
        server.close();
      }
    }
    ratios.forEach(
        (what, list) ->
            System.out.printf(
                "%-30s median vs Knot %.2f (min %.2f, max %.2f)%n",
                what,
                list.stream().sorted().toList().get(list.size() / 2),
                list.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                list.stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
  }

  /** One server under test: where it listens and which process to charge its CPU time to. */
  private record Target(String name, int port, long pid) {
    Measured measure(Path queries, Dnsperf.Mode mode, int clients, int seconds) throws Exception {
      Duration before = ServerProcess.cpuTime(pid);
      Dnsperf.Result result = Dnsperf.run(port, queries, mode, clients, seconds);
      return new Measured(this, result, ServerProcess.cpuTime(pid).minus(before));
    }
  }

  /** One dnsperf run against one target, with the CPU time the target spent during it. */
  private record Measured(Target target, Dnsperf.Result result, Duration cpu) {
    double cpuMicrosPerAnswer() {
      double answered = result.sent() - result.lost();
      return answered == 0 ? Double.NaN : cpu.toNanos() / 1_000.0 / answered;
    }
  }

  /** knotd (Debian's knot package) on a free loopback port, serving the bench zone. */
  private static final class Knot implements AutoCloseable {
    final int port;
    private final Process process;

    long pid() {
      return process.pid();
    }

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
          new ProcessBuilder(
                  Stream.concat(
                          CpuPinning.server().stream(), Stream.of("knotd", "-c", config.toString()))
                      .toList())
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
