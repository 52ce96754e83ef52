package dev.cloudmapdns.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark (11): the embedded listener under twice the load it can answer. dnsperf first finds
 * what the server answers flat out over UDP; then two dnsperf processes each offer that rate for
 * the overload period, while the server's resident memory is read every second; then one more
 * unlimited run shows whether it recovered. Shedding means: answered queries stay near capacity,
 * the rest is lost (dropped, as UDP allows), memory stays flat, and the run after is as good as the
 * run before.
 *
 * <p>{@code java -cp benchmarks.jar dev.cloudmapdns.benchmarks.OverloadDriver [seconds=30]
 * [jar=server/target/cloudmap-dns.jar]}
 */
public final class OverloadDriver {
  private OverloadDriver() {}

  public static void main(String[] args) throws Exception {
    DriverArguments arguments = new DriverArguments(args);
    int seconds = arguments.number(0, 30);
    Path jar = arguments.serverJar(1);
    Path directory = Files.createTempDirectory("cloudmap-dns-overload-");
    Path seed = BenchZone.seed(directory);
    Path queries = BenchZone.queries(directory, false);
    try (ServerProcess server = ServerProcess.start(jar, "--store=memory", "--seed=" + seed)) {
      Dnsperf.run(server.dnsPort, queries, Dnsperf.Mode.UDP, 4, 5); // warm-up
      Dnsperf.Result before = Dnsperf.run(server.dnsPort, queries, Dnsperf.Mode.UDP, 4, 10);
      long rssBefore = residentKib(server.pid());
      long capacity = Math.round(before.queriesPerSecond());
      System.out.printf(
          "capacity: %,d q/s answered, %d lost; resident %,d KiB%n",
          capacity, before.lost(), rssBefore);

      ExecutorService pool = Executors.newFixedThreadPool(2);
      AtomicLong peakRss = new AtomicLong(rssBefore);
      Thread sampler =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  peakRss.accumulateAndGet(residentKib(server.pid()), Math::max);
                  try {
                    Thread.sleep(1000);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      sampler.start();
      List<Future<Dnsperf.Result>> loads = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        loads.add(
            pool.submit(
                () ->
                    Dnsperf.run(
                        server.dnsPort,
                        queries,
                        Dnsperf.Mode.UDP,
                        4,
                        seconds,
                        List.of("-Q", Long.toString(capacity), "-q", "2000", "-t", "1"))));
      }
      double answered = 0;
      long sent = 0;
      long lost = 0;
      for (Future<Dnsperf.Result> load : loads) {
        Dnsperf.Result result = load.get(seconds + 60L, TimeUnit.SECONDS);
        sent += result.sent();
        lost += result.lost();
        answered += result.queriesPerSecond();
      }
      sampler.interrupt();
      sampler.join();
      pool.shutdown();
      System.out.printf(
          "overload (2 x %,d q/s offered for %d s): %,.0f q/s answered (%.2f of capacity),"
              + " %,d of %,d lost; peak resident %,d KiB (%+,d KiB)%n",
          capacity,
          seconds,
          answered,
          answered / capacity,
          lost,
          sent,
          peakRss.get(),
          peakRss.get() - rssBefore);

      Dnsperf.Result after = Dnsperf.run(server.dnsPort, queries, Dnsperf.Mode.UDP, 4, 10);
      System.out.printf(
          "after: %,.0f q/s answered (%.2f of before), %d lost; resident %,d KiB%n",
          after.queriesPerSecond(),
          after.queriesPerSecond() / before.queriesPerSecond(),
          after.lost(),
          residentKib(server.pid()));
    }
  }

  /** A process's resident memory, from {@code /proc}; -1 when it cannot be read. */
  static long residentKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (java.io.IOException e) {
      return -1;
    }
    return -1;
  }
}
