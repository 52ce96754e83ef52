package dev.cloudmapdns.dns.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real authoritative server (Knot DNS's {@code knotd}) on a free loopback port, serving zone
 * {@value #ZONE} for forwarding tests: {@code www} has one A record, {@code many} has 40 (about 700
 * bytes, over 512, so a plain UDP client gets TC). Found at {@code KNOTD_BIN} or {@code
 * /usr/sbin/knotd} (Debian's {@code knot} package); {@link #binary()} is empty without it.
 */
public final class KnotUpstream implements AutoCloseable {
  public static final String ZONE = "upstream.test";
  public static final String WWW_ADDRESS = "192.0.2.10";
  public static final int MANY_COUNT = 40;

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final Process process;
  private final Path log;
  private final int port;

  private KnotUpstream(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** The knotd binary, when this machine has one. */
  public static Optional<Path> binary() {
    String configured = System.getenv("KNOTD_BIN");
    Path path =
        Path.of(configured == null || configured.isBlank() ? "/usr/sbin/knotd" : configured);
    return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
  }

  /** Starts knotd in {@code directory} and waits until it answers over UDP and TCP. */
  public static KnotUpstream start(Path knotd, Path directory)
      throws IOException, InterruptedException {
    int port = freeDnsPort();
    StringBuilder zone =
        new StringBuilder(
            """
            $ORIGIN upstream.test.
            $TTL 300
            @ SOA ns.upstream.test. hostmaster.upstream.test. 1 3600 900 604800 60
            @ NS ns
            ns A 127.0.0.1
            www A 192.0.2.10
            """);
    for (int i = 1; i <= MANY_COUNT; i++) {
      zone.append("many A 198.51.100.").append(i).append('\n');
    }
    Files.writeString(directory.resolve("upstream.test.zone"), zone, StandardCharsets.UTF_8);
    String dir = directory.toAbsolutePath().toString();
    Files.writeString(
        directory.resolve("knot.conf"),
        """
        server:
            rundir: "%1$s"
            listen: 127.0.0.1@%2$d
        database:
            storage: "%1$s"
        log:
          - target: stderr
            any: warning
        zone:
          - domain: upstream.test
            storage: "%1$s"
            file: "upstream.test.zone"
        """
            .formatted(dir, port),
        StandardCharsets.UTF_8);
    Path log = directory.resolve("knotd.log");
    Process process =
        new ProcessBuilder(knotd.toString(), "-c", directory.resolve("knot.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    KnotUpstream upstream = new KnotUpstream(process, log, port);
    upstream.awaitAnswering();
    return upstream;
  }

  /** Where it listens, as a forwarder entry would name it. */
  public String hostAndPort() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  private void awaitAnswering() throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    boolean udp = false;
    boolean tcp = false;
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("knotd exited:\n" + Files.readString(log));
      }
      udp = udp || answers(false);
      tcp = tcp || answers(true);
      if (udp && tcp) {
        return;
      }
      Thread.sleep(50);
    }
    close();
    throw new IllegalStateException("knotd did not answer in time:\n" + Files.readString(log));
  }

  private boolean answers(boolean overTcp) {
    try {
      SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(LOOPBACK, port));
      resolver.setTCP(overTcp);
      resolver.setTimeout(Duration.ofMillis(300));
      Message reply = resolver.send(DnsQueries.query("www." + ZONE, Type.A));
      return reply.getRcode() == Rcode.NOERROR && !reply.getSection(1).isEmpty();
    } catch (IOException notYet) {
      return false;
    }
  }

  private static int freeDnsPort() throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, LOOPBACK)) {
        try (DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), LOOPBACK)) {
          return udp.getLocalPort();
        } catch (SocketException taken) {
          // UDP side in use: try another
        }
      }
    }
    throw new IOException("no loopback port free for both UDP and TCP");
  }

  @Override
  public void close() {
    process.destroy();
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
