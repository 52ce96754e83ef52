package dev.cloudmapdns.integration.api;

import dev.cloudmapdns.integration.FreePorts;
import dev.cloudmapdns.integration.StoreFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged application ({@code server/target/cloudmap-dns.jar}) as a child process on free
 * loopback ports, for the API walkthroughs. Ready when its HTTP server answers {@code /health}; its
 * DNS port is read from its log. Its output goes to {@code target/it-logs/NAME.log}.
 */
final class ApiServerProcess implements AutoCloseable {
  private static final Pattern DNS_PORT =
      Pattern.compile("DNS listener on /127\\.0\\.0\\.1:(\\d+)");
  private static final Duration STARTUP = Duration.ofSeconds(90);

  private final Process process;
  private final Path log;
  private final int httpPort;
  private final int dnsPort;

  private ApiServerProcess(Process process, Path log, int httpPort, int dnsPort) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
    this.dnsPort = dnsPort;
  }

  static ApiServerProcess start(String name, String... extraArgs) throws Exception {
    String jar = System.getProperty("app.jar", "../server/target/cloudmap-dns.jar");
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(jar + " not found: run the reactor build (mvnw verify)");
    }
    int[] ports = FreePorts.pick(3);
    int httpPort = ports[0];
    int grpcPort = ports[1];
    Path log = Path.of("target", "it-logs", name + ".log");
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar);
    command.add("--micronaut.server.port=" + httpPort);
    command.add("--grpc.server.port=" + grpcPort);
    command.add("--cloudmap.dns.listener-port=" + ports[2]);
    command.addAll(List.of(extraArgs));
    command.addAll(StoreFiles.defaultFor(extraArgs));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ApiServerProcess server = null;
    try {
      int dnsPort = awaitReady(process, log, httpPort);
      server = new ApiServerProcess(process, log, httpPort, dnsPort);
      return server;
    } finally {
      if (server == null) {
        process.destroyForcibly();
      }
    }
  }

  String endpoint() {
    return "http://localhost:" + httpPort;
  }

  int httpPort() {
    return httpPort;
  }

  int dnsPort() {
    return dnsPort;
  }

  Path log() {
    return log;
  }

  private static int awaitReady(Process process, Path log, int httpPort) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
            .timeout(Duration.ofSeconds(2))
            .build();
    Instant deadline = Instant.now().plus(STARTUP);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "cloudmap-dns exited with " + process.exitValue() + ":\n" + read(log));
      }
      try {
        if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          Matcher dns = DNS_PORT.matcher(read(log));
          if (dns.find()) {
            return Integer.parseInt(dns.group(1));
          }
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("cloudmap-dns not ready within " + STARTUP + ":\n" + read(log));
  }

  static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
