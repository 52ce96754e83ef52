package dev.cloudmapdns.benchmarks;

import dev.cloudmapdns.integration.CloudMapHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Benchmark (4): RegisterInstance calls per second through the HTTP API with concurrent clients,
 * the SQLite store (synchronous=FULL, the default) against the in-memory store, side by side in one
 * run: the packaged server is started once per store and round, alternating, and loaded by the same
 * clients. Each client registers into its own service of a private DNS namespace (so DNS projection
 * runs as in production), with a fresh CreatorRequestId per call as the SDKs send it. Only calls
 * answered 200 count; any other answer stops the run.
 *
 * <p>{@code java -cp benchmarks.jar dev.cloudmapdns.benchmarks.StoreThroughputDriver [clients=32]
 * [seconds=10] [rounds=2] [jar=server/target/cloudmap-dns.jar]}
 */
public final class StoreThroughputDriver {
  private static final Duration WARM_UP = Duration.ofSeconds(3);

  private StoreThroughputDriver() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    Duration measured = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    Path jar = Path.of(args.length > 3 ? args[3] : "server/target/cloudmap-dns.jar");
    System.out.printf(
        "%d clients, %d s warm-up + %d s measured per run, %d rounds%n",
        clients, WARM_UP.toSeconds(), measured.toSeconds(), rounds);
    System.out.println("round | store  | calls/s | p50 ms | p99 ms | max ms");
    Path work = Files.createDirectories(Path.of("target", "store-throughput"));
    double[] memory = new double[rounds];
    double[] sqlite = new double[rounds];
    for (int round = 1; round <= rounds; round++) {
      memory[round - 1] = run(round, "memory", jar, clients, measured, "--store=memory");
      Path dir = Files.createTempDirectory(work, "store-");
      sqlite[round - 1] =
          run(round, "sqlite", jar, clients, measured, "--store-file=" + dir.resolve("c.db"));
    }
    for (int round = 0; round < rounds; round++) {
      System.out.printf(
          "round %d: sqlite / memory = %.2f%n", round + 1, sqlite[round] / memory[round]);
    }
    System.out.printf(
        "all rounds: sqlite / memory = %.2f (target: at least 0.50)%n",
        Arrays.stream(sqlite).sum() / Arrays.stream(memory).sum());
  }

  /** One measured run on a freshly started server with {@code store} arguments; calls/s. */
  static double run(
      int round, String label, Path jar, int clients, Duration measured, String... store)
      throws Exception {
    try (ServerProcess server = ServerProcess.start(jar, store)) {
      CloudMapHttp api = new CloudMapHttp(server.httpPort);
      String namespace = api.createPrivateDnsNamespace("bench.local");
      String[] services = new String[clients];
      for (int c = 0; c < clients; c++) {
        services[c] = api.createDnsService(namespace, "svc-" + c, 60).get("Id").asText();
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicBoolean counting = new AtomicBoolean();
      long[][] latencies = new long[clients][];
      int[] counts = new int[clients];
      String[] failures = new String[clients];
      CountDownLatch done = new CountDownLatch(clients);
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        latencies[c] = new long[200_000];
        Thread thread =
            new Thread(
                () -> {
                  try {
                    for (int n = 0; !stop.get(); n++) {
                      String body =
                          "{\"ServiceId\":\""
                              + services[client]
                              + "\",\"InstanceId\":\"i-"
                              + (n % 1000)
                              + "\",\"CreatorRequestId\":\""
                              + UUID.randomUUID()
                              + "\",\"Attributes\":{\"AWS_INSTANCE_IPV4\":\"10."
                              + client
                              + "."
                              + (n % 1000 / 250)
                              + "."
                              + (n % 250 + 1)
                              + "\"}}";
                      long started = System.nanoTime();
                      api.call("RegisterInstance", body);
                      long took = System.nanoTime() - started;
                      if (counting.get() && counts[client] < latencies[client].length) {
                        latencies[client][counts[client]++] = took;
                      }
                    }
                  } catch (Exception e) {
                    failures[client] = e.toString();
                    stop.set(true);
                  } finally {
                    done.countDown();
                  }
                });
        threads.add(thread);
        thread.start();
      }
      Thread.sleep(WARM_UP.toMillis());
      counting.set(true);
      long started = System.nanoTime();
      Thread.sleep(measured.toMillis());
      counting.set(false);
      long elapsed = System.nanoTime() - started;
      stop.set(true);
      done.await();
      for (String failure : failures) {
        if (failure != null) {
          throw new IllegalStateException(label + ": a call failed: " + failure);
        }
      }
      int total = Arrays.stream(counts).sum();
      long[] all = new long[total];
      int at = 0;
      for (int c = 0; c < clients; c++) {
        System.arraycopy(latencies[c], 0, all, at, counts[c]);
        at += counts[c];
      }
      Arrays.sort(all);
      double perSecond = total / (elapsed / 1e9);
      System.out.printf(
          "%5d | %-6s | %7.0f | %6.2f | %6.2f | %6.1f%n",
          round,
          label,
          perSecond,
          all[total / 2] / 1e6,
          all[(int) (total * 0.99)] / 1e6,
          all[total - 1] / 1e6);
      return perSecond;
    }
  }
}
