package dev.cloudmapdns.benchmarks;

import dev.cloudmapdns.integration.CloudMapHttp;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Benchmark (15): issue 14's first target as a user measures it, through the packaged jar, its HTTP
 * API and its default SQLite store (synchronous=full): one client making calls one after another
 * into a registry of 10 instances and into one of 100,000 in one namespace, side by side in one run
 * (the server is restarted on each store in turn, alternating). Per run:
 *
 * <ul>
 *   <li>RegisterInstance: {@code calls} registrations, one at a time, into a new service of the
 *       namespace (after as many into another service to warm up);
 *   <li>a health change: {@code calls} UpdateInstanceCustomHealthStatus calls, one at a time, each
 *       flipping one of 20 instances of a service with HealthCheckCustomConfig;
 *   <li>DNS: 20,000 A queries, one at a time over UDP to the embedded listener, for an instance
 *       name that both registries hold (after 2,000 to warm up); p50 and p99 of their round trips.
 * </ul>
 *
 * The stores are written directly ({@link StoreStartupDriver#fill}: services of 1,000 A+SRV
 * instances), under {@code target/registry-size/}. Every address is loopback or stored as data
 * only; the server runs with health checks off and custom health needs no probe.
 *
 * <p>{@code java -cp benchmarks.jar dev.cloudmapdns.benchmarks.RegistrySizeHttpDriver
 * [instances=100000] [calls=300] [rounds=2] [jar=server/target/cloudmap-dns.jar]}
 */
public final class RegistrySizeHttpDriver {
  private static final int SMALL = 10;
  private static final int CUSTOM_INSTANCES = 20;
  private static final int QUERIES = 20_000;
  private static final int WARM_UP_QUERIES = 2_000;
  private static final String NAMESPACE = "ns-bench0000000000";
  private static final String QUERIED = "i-0.svc-0.bench.local.";

  private RegistrySizeHttpDriver() {}

  /** What one run measured. */
  private record Figures(
      double registrationsPerSecond,
      double healthChangesPerSecond,
      double queryP50Micros,
      double queryP99Micros) {}

  public static void main(String[] args) throws Exception {
    DriverArguments arguments = new DriverArguments(args);
    int instances = arguments.number(0, 100_000);
    int calls = arguments.number(1, 300);
    int rounds = arguments.number(2, 2);
    Path jar = arguments.serverJar(3);
    Path work = Files.createDirectories(Path.of("target", "registry-size"));
    Path small = store(work, "small", SMALL);
    Path large = store(work, "large", instances);
    System.out.printf(
        "%d calls per measure, one client, HTTP + SQLite (synchronous=full), %d rounds%n",
        calls, rounds);
    System.out.println(
        "round | registry            | RegisterInstance/s | health changes/s | DNS p50 µs | DNS p99 µs");
    Figures[] smallRuns = new Figures[rounds];
    Figures[] largeRuns = new Figures[rounds];
    for (int round = 1; round <= rounds; round++) {
      smallRuns[round - 1] = run(round, SMALL + " instances", jar, copy(small, work), calls);
      largeRuns[round - 1] = run(round, instances + " instances", jar, copy(large, work), calls);
    }
    for (int round = 0; round < rounds; round++) {
      Figures s = smallRuns[round];
      Figures l = largeRuns[round];
      System.out.printf(
          "round %d, %d vs %d: RegisterInstance %.2fx, health change %.2fx, DNS p99 %.2fx%n",
          round + 1,
          instances,
          SMALL,
          l.registrationsPerSecond() / s.registrationsPerSecond(),
          l.healthChangesPerSecond() / s.healthChangesPerSecond(),
          l.queryP99Micros() / s.queryP99Micros());
    }
    System.out.printf(
        "all rounds, %d vs %d: RegisterInstance %.2fx, health change %.2fx (targets: at least"
            + " 0.80x), DNS p99 %.2fx (target: unchanged)%n",
        instances,
        SMALL,
        sum(largeRuns, Figures::registrationsPerSecond)
            / sum(smallRuns, Figures::registrationsPerSecond),
        sum(largeRuns, Figures::healthChangesPerSecond)
            / sum(smallRuns, Figures::healthChangesPerSecond),
        sum(largeRuns, Figures::queryP99Micros) / sum(smallRuns, Figures::queryP99Micros));
  }

  private static double sum(Figures[] runs, ToDoubleFunction<Figures> figure) {
    return Arrays.stream(runs).mapToDouble(figure).sum();
  }

  /** A store of {@code instances} instances, written once and copied for every run. */
  private static Path store(Path work, String name, int instances) throws Exception {
    Path file = Files.createDirectories(work.resolve(name)).resolve("cloudmap.db");
    Files.deleteIfExists(file);
    StoreStartupDriver.fill(file, instances);
    return file;
  }

  private static Path copy(Path store, Path work) throws Exception {
    Path run = Files.createTempDirectory(work, "run-").resolve("cloudmap.db");
    Files.copy(store, run);
    return run;
  }

  private static Figures run(int round, String label, Path jar, Path store, int calls)
      throws Exception {
    try (ServerProcess server = ServerProcess.start(jar, "--store-file=" + store)) {
      CloudMapHttp api = new CloudMapHttp(server.httpPort);
      register(api, service(api, "warm-up"), calls);
      double registrations = register(api, service(api, "writes"), calls);
      double healthChanges = flipCustomHealth(api, customHealthService(api, "custom"), calls);
      long[] rtts = query(server.dnsPort);
      Figures figures =
          new Figures(
              registrations, healthChanges, rtts[rtts.length / 2] / 1e3, rtts[p99(rtts)] / 1e3);
      System.out.printf(
          "%5d | %-19s | %18.0f | %16.0f | %10.1f | %10.1f%n",
          round,
          label,
          figures.registrationsPerSecond(),
          figures.healthChangesPerSecond(),
          figures.queryP50Micros(),
          figures.queryP99Micros());
      return figures;
    }
  }

  private static int p99(long[] sorted) {
    return (int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1);
  }

  private static String service(CloudMapHttp api, String name) throws Exception {
    return api.createDnsService(NAMESPACE, name, 60).get("Id").asText();
  }

  /** A service with one A record whose instances' health the API sets. */
  private static String customHealthService(CloudMapHttp api, String name) throws Exception {
    return api.call(
            "CreateService",
            Map.of(
                "Name",
                name,
                "NamespaceId",
                NAMESPACE,
                "DnsConfig",
                Map.of("DnsRecords", List.of(Map.of("Type", "A", "TTL", 60))),
                "HealthCheckCustomConfig",
                Map.of("FailureThreshold", 1)))
        .at("/Service/Id")
        .asText();
  }

  /** Registers {@code calls} instances one after another; returns calls per second. */
  private static double register(CloudMapHttp api, String serviceId, int calls) throws Exception {
    long started = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      registerOne(api, serviceId, i);
    }
    return calls / ((System.nanoTime() - started) / 1e9);
  }

  private static void registerOne(CloudMapHttp api, String serviceId, int i) throws Exception {
    api.registerInstance(
        serviceId,
        "i-" + i,
        UUID.randomUUID().toString(),
        Map.of("AWS_INSTANCE_IPV4", "127.0." + (i / 250) + "." + (i % 250 + 1)));
  }

  /**
   * Registers {@link #CUSTOM_INSTANCES} instances (HEALTHY to start with), then flips one of them
   * per call, round robin; returns calls per second.
   */
  private static double flipCustomHealth(CloudMapHttp api, String serviceId, int calls)
      throws Exception {
    for (int i = 0; i < CUSTOM_INSTANCES; i++) {
      registerOne(api, serviceId, i);
    }
    long started = System.nanoTime();
    for (int call = 0; call < calls; call++) {
      int instance = call % CUSTOM_INSTANCES;
      boolean toUnhealthy = (call / CUSTOM_INSTANCES) % 2 == 0;
      api.call(
          "UpdateInstanceCustomHealthStatus",
          Map.of(
              "ServiceId",
              serviceId,
              "InstanceId",
              "i-" + instance,
              "Status",
              toUnhealthy ? "UNHEALTHY" : "HEALTHY"));
    }
    return calls / ((System.nanoTime() - started) / 1e9);
  }

  /** Round trips of {@link #QUERIES} queries, one at a time, in nanoseconds, sorted. */
  private static long[] query(int port) throws Exception {
    Message question =
        Message.newQuery(Record.newRecord(Name.fromString(QUERIED), Type.A, DClass.IN));
    byte[] wire = question.toWire();
    byte[] buffer = new byte[1_500];
    long[] rtts = new long[QUERIES];
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (DatagramSocket socket = new DatagramSocket(0, loopback)) {
      socket.setSoTimeout(2_000);
      for (int q = -WARM_UP_QUERIES; q < QUERIES; q++) {
        long sent = System.nanoTime();
        socket.send(new DatagramPacket(wire, wire.length, loopback, port));
        DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(reply);
        } catch (SocketTimeoutException e) {
          throw new IllegalStateException("no answer to query " + q + " within 2 s", e);
        }
        long rtt = System.nanoTime() - sent;
        if (q == -WARM_UP_QUERIES) {
          Message answer = new Message(Arrays.copyOf(buffer, reply.getLength()));
          if (answer.getRcode() != Rcode.NOERROR || answer.getSection(Section.ANSWER).size() != 1) {
            throw new IllegalStateException("unexpected answer for " + QUERIED + ":\n" + answer);
          }
        }
        if (q >= 0) {
          rtts[q] = rtt;
        }
      }
    }
    Arrays.sort(rtts);
    return rtts;
  }
}
