package dev.cloudmapdns.integration;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code server/target/cloudmap-dns.jar}) running as a child process on
 * free loopback ports, as a user would start it. Closing it stops the process.
 */
final class CloudMapDnsProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path log;
  final int httpPort;
  final int grpcPort;
  final int dnsPort;

  private CloudMapDnsProcess(Process process, Path log, int httpPort, int grpcPort, int dnsPort) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
    this.grpcPort = grpcPort;
    this.dnsPort = dnsPort;
  }

  /** The path of the packaged jar, handed over by failsafe. */
  static Path jar() {
    String jar = System.getProperty("app.jar", "../server/target/cloudmap-dns.jar");
    Path path = Path.of(jar).toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(path + " is missing: run the build (./mvnw verify) first");
    }
    return path;
  }

  /**
   * The class-data archive the build wrote beside the jar (docs/configuration.md, "Start-up"), for
   * the servers the tests start and wait for: each is ready sooner. Runs that check what the jar
   * prints ({@link #run}) start without it, as a user's plain {@code java -jar} does.
   */
  private static List<String> classDataArchive() {
    String archive = System.getProperty("app.archive");
    return archive != null && Files.isRegularFile(Path.of(archive))
        ? List.of("-XX:SharedArchiveFile=" + archive)
        : List.of();
  }

  /**
   * The README's example registry ({@code docs/examples/registry.yaml}), handed over by failsafe.
   */
  static Path exampleSeed() {
    String seed = System.getProperty("example.seed", "../docs/examples/registry.yaml");
    Path path = Path.of(seed).toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(path + " is missing");
    }
    return path;
  }

  /** Starts the server with {@code arguments} and waits until its /health answers UP. */
  static CloudMapDnsProcess start(String... arguments) throws IOException, InterruptedException {
    int[] ports = FreePorts.pick(3);
    int httpPort = ports[0];
    int grpcPort = ports[1];
    int dnsPort = ports[2];
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(classDataArchive());
    command.add("-jar");
    command.add(jar().toString());
    command.add("--micronaut.server.port=" + httpPort);
    command.add("--grpc.server.port=" + grpcPort);
    command.add("--cloudmap.dns.listener-port=" + dnsPort);
    command.addAll(List.of(arguments));
    command.addAll(StoreFiles.defaultFor(arguments));
    Path log = ItLogs.newFile("cloudmap-dns-");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    CloudMapDnsProcess server = new CloudMapDnsProcess(process, log, httpPort, grpcPort, dnsPort);
    server.awaitHealthy();
    return server;
  }

  /** Runs the jar to completion (for options that exit, or start-up failures). */
  static Finished run(Duration timeout, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jar().toString()));
    command.addAll(List.of(arguments));
    command.addAll(StoreFiles.defaultFor(arguments));
    Path out = ItLogs.newFile("cloudmap-dns-out-");
    Path err = ItLogs.newFile("cloudmap-dns-err-");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("cloudmap-dns did not exit within " + timeout);
    }
    return new Finished(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** The result of a run that ended. */
  record Finished(int exitCode, String stdout, String stderr) {}

  String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  private void awaitHealthy() throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "cloudmap-dns exited with " + process.exitValue() + ":\n" + output());
      }
      if (healthy()) {
        return;
      }
      Thread.sleep(100);
    }
    close();
    throw new IllegalStateException(
        "cloudmap-dns was not healthy within " + START_TIMEOUT + ":\n" + output());
  }

  private boolean healthy() {
    try {
      HttpURLConnection connection =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + httpPort + "/health").toURL().openConnection();
      connection.setConnectTimeout(500);
      connection.setReadTimeout(500);
      return connection.getResponseCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** Kills the process with SIGKILL (what {@code destroyForcibly} sends on Linux) and waits. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("cloudmap-dns did not die from SIGKILL");
    }
  }

  /** The server's process id (for {@code jcmd}). */
  long pid() {
    return process.pid();
  }

  /** The exit status, once the process has ended. */
  int exitValue() {
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
