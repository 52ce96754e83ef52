package dev.cloudmapdns.integration;

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
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real CoreDNS running as a child process with a Corefile written by the test, listening on a
 * loopback port. Closing it stops the process.
 */
public final class CoreDnsProcess implements AutoCloseable {
  /** Every address in these tests: CoreDNS binds it, the registry and the clients use it. */
  static final InetAddress LOOPBACK = loopback();

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

  private final Process process;
  private final Path log;
  public final int port;

  private CoreDnsProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Writes {@code corefile} to {@code directory}, starts {@code binary} on it and waits until it
   * answers DNS on {@code port} over both UDP and TCP.
   */
  public static CoreDnsProcess start(Path binary, Path directory, int port, String corefile)
      throws IOException, InterruptedException {
    Path file = directory.resolve("Corefile");
    Files.writeString(file, corefile, StandardCharsets.UTF_8);
    Path log = directory.resolve("coredns.log");
    Process process =
        new ProcessBuilder(binary.toString(), "-conf", file.toString())
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    CoreDnsProcess coredns = new CoreDnsProcess(process, log, port);
    coredns.awaitListening();
    return coredns;
  }

  /** A loopback port that is free for both UDP and TCP, as a DNS server needs. */
  public static int freeDnsPort() throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, LOOPBACK)) {
        int port = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
          return udp.getLocalPort();
        } catch (SocketException udpPortTaken) {
          // another process has this port for UDP: try the next one
        }
      }
    }
    throw new IOException("no loopback port was free for both UDP and TCP");
  }

  /** Everything CoreDNS printed so far, for failure messages. */
  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no CoreDNS log: " + e + ")";
    }
  }

  private void awaitListening() throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    boolean udp = false;
    boolean tcp = false;
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "CoreDNS exited with " + process.exitValue() + ":\n" + output());
      }
      udp = udp || answers(false);
      tcp = tcp || answers(true);
      if (udp && tcp) {
        return;
      }
      Thread.sleep(100);
    }
    close();
    throw new IllegalStateException(
        "CoreDNS did not answer on port " + port + " within " + START_TIMEOUT + ":\n" + output());
  }

  /** Whether any DNS reply comes back (whatever its rcode: only the listener matters here). */
  private boolean answers(boolean overTcp) {
    try {
      SimpleResolver resolver = new SimpleResolver(LOOPBACK);
      resolver.setPort(port);
      resolver.setTCP(overTcp);
      resolver.setTimeout(PROBE_TIMEOUT);
      resolver.send(Message.newQuery(Record.newRecord(Name.root, Type.NS, DClass.IN)));
      return true;
    } catch (IOException notYet) {
      return false;
    }
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

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
