package dev.cloudmapdns.benchmarks;

import dev.cloudmapdns.server.health.HealthCheckRunner;
import dev.cloudmapdns.server.health.HealthMetrics;
import dev.cloudmapdns.server.health.HealthSettings;
import dev.cloudmapdns.server.registry.HealthCheckConfig;
import dev.cloudmapdns.server.registry.HealthCheckType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.Message;

/**
 * Benchmark (2): from a target going down to DNS no longer returning it, against the failure window
 * {@code FailureThreshold x interval}. For each threshold, side by side in one run: a real HTTP
 * server on 127.0.0.1 is stopped at a random moment of the check cycle, and the DNS answer engine
 * is asked every millisecond until the instance is gone; then the server is started again and the
 * instance awaited back.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar
 * dev.cloudmapdns.benchmarks.FailureDetectionDriver [intervalMillis=1000] [rounds=10]}
 */
public final class FailureDetectionDriver {
  private static final Duration BOUND = Duration.ofSeconds(60);

  private FailureDetectionDriver() {}

  public static void main(String[] args) throws Exception {
    Duration interval = Duration.ofMillis(args.length > 0 ? Long.parseLong(args[0]) : 1000);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    HealthSettings settings =
        new HealthSettings(interval, Duration.ofMillis(500), interval.dividedBy(10), 256);
    System.out.printf(
        "interval %d ms, jitter +-%d ms, timeout %d ms, %d rounds per threshold%n",
        interval.toMillis(), settings.jitter().toMillis(), settings.timeout().toMillis(), rounds);
    System.out.println(
        "threshold | window ms | down->gone p50 ms | max ms | max late vs window ms | p50/window"
            + " | up->back p50 ms");
    for (int threshold : new int[] {1, 2, 3}) {
      try (LoopbackHttpTarget target = new LoopbackHttpTarget()) {
        InProcessServer server = new InProcessServer();
        try (HealthCheckRunner checkers =
            new HealthCheckRunner(server.registry, settings, new HealthMetrics())) {
          String service =
              server.service(
                  "svc", new HealthCheckConfig(HealthCheckType.HTTP, "/health", threshold));
          server.registry.registerInstance(
              service,
              "target",
              Map.of(
                  "AWS_INSTANCE_IPV4",
                  "127.0.0.1",
                  "AWS_INSTANCE_PORT",
                  Integer.toString(target.port())),
              null);
          Message query = InProcessServer.query("svc");
          awaitAnswered(server, query, true);
          List<Long> gone = new ArrayList<>();
          List<Long> back = new ArrayList<>();
          for (int round = 0; round < rounds; round++) {
            Thread.sleep(ThreadLocalRandom.current().nextLong(interval.toMillis()));
            long down = System.nanoTime();
            target.stop();
            gone.add(awaitAnswered(server, query, false) - down);
            long up = System.nanoTime();
            target.start();
            back.add(awaitAnswered(server, query, true) - up);
          }
          long window = interval.toMillis() * threshold;
          Collections.sort(gone);
          Collections.sort(back);
          long p50 = millis(gone.get(gone.size() / 2));
          long max = millis(gone.get(gone.size() - 1));
          System.out.printf(
              "%9d | %9d | %17d | %6d | %21d | %10.2f | %15d%n",
              threshold,
              window,
              p50,
              max,
              max - window,
              p50 / (double) window,
              millis(back.get(back.size() / 2)));
        }
      }
    }
  }

  /** Polls the engine every millisecond until the instance is (or is not) answered. */
  private static long awaitAnswered(InProcessServer server, Message query, boolean answered)
      throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (System.nanoTime() < deadline) {
      if (server.answers(query).contains("127.0.0.1") == answered) {
        return System.nanoTime();
      }
      Thread.sleep(1);
    }
    throw new IllegalStateException("not " + (answered ? "answered" : "gone") + " within " + BOUND);
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }
}
