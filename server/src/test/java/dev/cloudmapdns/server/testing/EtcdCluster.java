package dev.cloudmapdns.server.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * Real etcd members ({@code /usr/bin/etcd}, Debian's {@code etcd-server}, or {@code ETCD_BIN}) on
 * free loopback ports, their data in a directory the test owns; one member or a cluster of several.
 * Tests call {@link #assumeAvailable()} first, so they skip, saying why, on a machine without etcd.
 * {@link #close()} stops every member; a member can also be killed ({@code kill -9}) and restarted
 * on its data to test failures.
 */
public final class EtcdCluster implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final String HOST = "127.0.0.1";

  /** Enough for the largest batch a test commits (etcd's default is 128). */
  public static final int MAX_TXN_OPS = 10_000;

  private final Path binary;
  private final Path directory;
  private final List<Member> members;
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private record Member(String name, int clientPort, int peerPort) {
    String clientUrl() {
      return "http://" + HOST + ":" + clientPort;
    }

    String peerUrl() {
      return "http://" + HOST + ":" + peerPort;
    }
  }

  private EtcdCluster(Path binary, Path directory, List<Member> members) {
    this.binary = binary;
    this.directory = directory;
    this.members = members;
  }

  /** The etcd binary, when this machine has one. */
  public static Optional<Path> binary() {
    String configured = System.getenv("ETCD_BIN");
    Path path = Path.of(configured == null || configured.isBlank() ? "/usr/bin/etcd" : configured);
    return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
  }

  /** Skips the calling test when there is no etcd binary (CI installs {@code etcd-server}). */
  public static void assumeAvailable() {
    Assumptions.assumeTrue(
        binary().isPresent(),
        "no etcd binary (install Debian's etcd-server, or set ETCD_BIN): test skipped");
  }

  /** Starts at most this often when a picked port was taken meanwhile by another process. */
  private static final int START_ATTEMPTS = 3;

  /**
   * Starts {@code size} members in {@code directory} and waits until every one is healthy. A free
   * port is only free when it is picked: on a shared machine another process may bind it before
   * etcd does, so such a start is tried again on other ports, in a directory of its own.
   */
  public static EtcdCluster start(Path directory, int size) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Path attemptDirectory =
          attempt == 1 ? directory : Files.createDirectories(directory.resolve("retry-" + attempt));
      try {
        return startOnce(attemptDirectory, size);
      } catch (IllegalStateException e) {
        if (attempt >= START_ATTEMPTS
            || !String.valueOf(e.getMessage()).contains("address already in use")) {
          throw e;
        }
      }
    }
  }

  private static EtcdCluster startOnce(Path directory, int size) throws IOException {
    Path etcd = binary().orElseThrow(() -> new IllegalStateException("no etcd binary"));
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      members.add(new Member("m" + i, freePort(), freePort()));
    }
    EtcdCluster cluster = new EtcdCluster(etcd, directory, List.copyOf(members));
    try {
      for (int i = 0; i < size; i++) {
        cluster.processes.add(cluster.launch(i));
      }
      for (int i = 0; i < size; i++) {
        cluster.awaitHealthy(i);
      }
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** The client URLs of every member, as {@code --etcd-endpoints} takes them. */
  public List<String> endpoints() {
    return members.stream().map(Member::clientUrl).toList();
  }

  public int size() {
    return members.size();
  }

  /** Kills member {@code index} at once ({@code kill -9}), as a crash would. */
  public void kill(int index) {
    Process process = processes.get(index);
    process.destroyForcibly();
    waitQuietly(process);
  }

  /** Starts member {@code index} again on its data directory and waits until it is healthy. */
  public void restart(int index) throws IOException {
    kill(index);
    processes.set(index, launch(index));
    awaitHealthy(index);
  }

  private Process launch(int index) throws IOException {
    Member member = members.get(index);
    Path data = directory.resolve(member.name() + ".etcd");
    boolean existing = Files.isDirectory(data);
    String cluster =
        members.stream().map(m -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(","));
    List<String> command =
        List.of(
            binary.toString(),
            "--name=" + member.name(),
            "--data-dir=" + data,
            "--listen-client-urls=" + member.clientUrl(),
            "--advertise-client-urls=" + member.clientUrl(),
            "--listen-peer-urls=" + member.peerUrl(),
            "--initial-advertise-peer-urls=" + member.peerUrl(),
            "--initial-cluster=" + cluster,
            "--initial-cluster-state=" + (existing ? "existing" : "new"),
            "--initial-cluster-token=cloudmap-dns-test",
            "--max-txn-ops=" + MAX_TXN_OPS,
            // etcd's defaults, spelled out: shorter ones make elections thrash on a loaded machine.
            "--heartbeat-interval=100",
            "--election-timeout=1000",
            "--logger=zap",
            "--log-level=warn");
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(
            ProcessBuilder.Redirect.appendTo(directory.resolve(member.name() + ".log").toFile()))
        .start();
  }

  private void awaitHealthy(int index) throws IOException {
    Member member = members.get(index);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create(member.clientUrl() + "/health"))
            .timeout(Duration.ofSeconds(1))
            .build();
    while (System.nanoTime() < deadline) {
      Process process = processes.get(index);
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "etcd member " + member.name() + " exited:\n" + log(member));
      }
      try {
        HttpResponse<String> answer = http.send(health, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200 && answer.body().contains("\"true\"")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for etcd", e);
      }
      pause();
    }
    throw new IllegalStateException(
        "etcd member "
            + member.name()
            + " not healthy within "
            + START_TIMEOUT
            + ":\n"
            + log(member));
  }

  private String log(Member member) {
    try {
      return Files.readString(directory.resolve(member.name() + ".log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }

  private static void waitQuietly(Process process) {
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops every member (SIGTERM, then SIGKILL after 10 s). */
  @Override
  public void close() {
    for (Process process : processes) {
      process.destroy();
    }
    for (Process process : processes) {
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
