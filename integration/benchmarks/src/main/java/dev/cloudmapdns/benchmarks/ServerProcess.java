package dev.cloudmapdns.benchmarks;

import dev.cloudmapdns.integration.FreePorts;
import dev.cloudmapdns.integration.ItLogs;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server ({@code server/target/cloudmap-dns.jar}) as a child process on free loopback
 * ports, started the way a user starts it. {@link #readyNanos} is the time from launching the JVM
 * to its first healthy {@code /health}. Its output goes to a new file under {@code target/it-logs/}
 * (as the integration tests' servers' does), never to the system's temporary directory.
 */
final class ServerProcess implements AutoCloseable {
  private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(300);

  final int httpPort;
  final int grpcPort;
  final int dnsPort;
  final long readyNanos;

  /** CPU time (user and system, every thread) the process had used when it was first ready. */
  final long cpuMillisAtReady;

  /** The wall clock at launch, to place the server's own log lines on the same time line. */
  final long launchedAtMillis;

  private final Process process;
  private final Path log;

  private ServerProcess(Process process, Path log, int[] ports, Ready ready) {
    this.process = process;
    this.log = log;
    this.httpPort = ports[0];
    this.grpcPort = ports.length > 1 ? ports[1] : -1;
    this.dnsPort = ports.length > 2 ? ports[2] : -1;
    this.readyNanos = ready.nanos();
    this.cpuMillisAtReady = ready.cpuMillis();
    this.launchedAtMillis = ready.launchedAtMillis();
  }

  static ServerProcess start(Path jar, String... arguments) throws Exception {
    return start(jar, List.of(), arguments);
  }

  /**
   * A server given as a drivers' baseline argument: a jar, optionally followed by settings for it,
   * comma-separated ({@code server/target/cloudmap-dns.jar,--cloudmap.dns.listener-event-loops=2});
   * its settings come after {@code arguments}, so they win.
   */
  static ServerProcess startWithSettings(String jarAndSettings, String... arguments)
      throws Exception {
    List<String> parts = List.of(jarAndSettings.split(","));
    List<String> all = new ArrayList<>(List.of(arguments));
    all.addAll(parts.subList(1, parts.size()));
    return start(Path.of(parts.get(0)), all.toArray(String[]::new));
  }

  /** With options for the JVM (before {@code -jar}), such as a class-data archive. */
  static ServerProcess start(Path jar, List<String> jvmOptions, String... arguments)
      throws Exception {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run ./mvnw -q package -DskipTests first");
    }
    int[] ports = FreePorts.pick(3);
    List<String> command = new ArrayList<>(CpuPinning.server());
    command.add(javaBinary());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.add("--micronaut.server.port=" + ports[0]);
    command.add("--grpc.server.port=" + ports[1]);
    command.add("--cloudmap.dns.listener-port=" + ports[2]);
    command.add("--cloudmap.health.enabled=false");
    command.addAll(List.of(arguments));
    return launch(command, ports);
  }

  /**
   * Any command whose process answers {@code 200} on {@code /health} at {@code ports[0]} once it is
   * ready (a reference server, for instance); the other ports are the process's gRPC and DNS ones.
   */
  static ServerProcess launch(List<String> command, int... ports) throws Exception {
    Path log = ItLogs.newFile("cloudmap-dns-bench-");
    long launchedAt = System.currentTimeMillis();
    long launched = System.nanoTime();
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    while (!healthy(ports[0])) {
      if (!process.isAlive() || System.nanoTime() - launched > START_TIMEOUT_NANOS) {
        process.destroyForcibly();
        throw new IllegalStateException("server did not start:\n" + Files.readString(log));
      }
      Thread.sleep(5);
    }
    Ready ready =
        new Ready(System.nanoTime() - launched, cpuTime(process.pid()).toMillis(), launchedAt);
    return new ServerProcess(process, log, ports, ready);
  }

  private record Ready(long nanos, long cpuMillis, long launchedAtMillis) {}

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * User and system CPU time of a live process so far, every thread included, as the OS counts it:
   * what the process itself spent (a server under test, a reference server or a backend), which a
   * loaded machine stretches far less than the wall clock.
   */
  static Duration cpuTime(long pid) {
    return ProcessHandle.of(pid)
        .flatMap(process -> process.info().totalCpuDuration())
        .orElseThrow(() -> new IllegalStateException("no CPU time for process " + pid));
  }

  /** The server's process id, to read its memory from {@code /proc}. */
  long pid() {
    return process.pid();
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  private static boolean healthy(int port) {
    try {
      HttpURLConnection connection =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + "/health").toURL().openConnection();
      connection.setConnectTimeout(200);
      connection.setReadTimeout(1000);
      return connection.getResponseCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
