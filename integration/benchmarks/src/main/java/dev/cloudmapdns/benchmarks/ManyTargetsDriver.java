package dev.cloudmapdns.benchmarks;

import dev.cloudmapdns.server.health.HealthCheckRunner;
import dev.cloudmapdns.server.health.HealthMetrics;
import dev.cloudmapdns.server.health.HealthSettings;
import dev.cloudmapdns.server.registry.HealthCheckConfig;
import dev.cloudmapdns.server.registry.HealthCheckType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Benchmark (3): many loopback targets at a short interval. {@code targets} instances (in services
 * of 100, HTTP checks, threshold 1) point at a few real HTTP servers on 127.0.0.1; after a warm-up
 * the driver measures, over {@code seconds}: checks per second against the ideal, late checks
 * (started more than 100 ms after due), the CPU time of the checker's threads (probe loop and
 * publisher) as a share of one core and of the machine, and the heap in use after a GC with and
 * without the checks loaded.
 *
 * <p>{@code java -Xmx512m -cp benchmarks/target/benchmarks.jar
 * dev.cloudmapdns.benchmarks.ManyTargetsDriver [targets=5000] [intervalMillis=1000] [seconds=30]
 * [maxConcurrentProbes=256]}
 */
public final class ManyTargetsDriver {
  private static final int SERVERS = 4;

  private ManyTargetsDriver() {}

  public static void main(String[] args) throws Exception {
    int targets = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    Duration interval = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 1000);
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    int maxConcurrent = args.length > 3 ? Integer.parseInt(args[3]) : 256;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int cores = Runtime.getRuntime().availableProcessors();

    List<LoopbackHttpTarget> servers = new ArrayList<>();
    for (int i = 0; i < SERVERS; i++) {
      servers.add(new LoopbackHttpTarget());
    }
    InProcessServer server = new InProcessServer();
    HealthCheckConfig check = new HealthCheckConfig(HealthCheckType.HTTP, "/health", 1);
    String service = null;
    for (int i = 0; i < targets; i++) {
      if (i % 100 == 0) {
        service = server.service("svc-" + i / 100, check);
      }
      server.registry.registerInstance(
          service,
          "i-" + i,
          Map.of(
              "AWS_INSTANCE_IPV4",
              "127.0.0.1",
              "AWS_INSTANCE_PORT",
              Integer.toString(servers.get(i % SERVERS).port())),
          null);
    }
    long heapWithoutChecks = usedHeapAfterGc(memory);
    HealthSettings settings =
        new HealthSettings(interval, Duration.ofSeconds(2), interval.dividedBy(10), maxConcurrent);
    HealthMetrics metrics = new HealthMetrics();
    try (HealthCheckRunner checkers = new HealthCheckRunner(server.registry, settings, metrics)) {
      Thread.sleep(10_000); // warm-up: the first round of checks, JIT
      HealthMetrics.Snapshot before = metrics.snapshot();
      long cpuBefore = checkerCpuNanos(threads);
      long processCpuBefore = processCpuNanos();
      long start = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      long wall = System.nanoTime() - start;
      long cpu = checkerCpuNanos(threads) - cpuBefore;
      long processCpu = processCpuNanos() - processCpuBefore;
      HealthMetrics.Snapshot after = metrics.snapshot();
      long heapWithChecks = usedHeapAfterGc(memory);

      long probes = after.probes() - before.probes();
      double ideal = targets * (wall / 1e9) / (interval.toMillis() / 1000.0);
      System.out.printf(
          "%d targets on %d loopback HTTP servers, interval %d ms, max %d probes in flight,"
              + " %d s measured, %d cores%n",
          targets, SERVERS, interval.toMillis(), maxConcurrent, seconds, cores);
      System.out.printf(
          "checks: %d (%.0f/s), %.3f of the ideal %.0f; failed %d; late (>100 ms) %d (%.2f%%);"
              + " max lateness %d ms (since start)%n",
          probes,
          probes / (wall / 1e9),
          probes / ideal,
          ideal,
          after.probesFailed() - before.probesFailed(),
          after.probesLate() - before.probesLate(),
          100.0 * (after.probesLate() - before.probesLate()) / Math.max(1, probes),
          after.maxLatenessMillis());
      System.out.printf(
          "checker threads CPU: %.1f%% of one core, %.1f%% of the machine;"
              + " whole process (targets and JIT included): %.1f%% of the machine%n",
          100.0 * cpu / wall, 100.0 * cpu / wall / cores, 100.0 * processCpu / wall / cores);
      System.out.printf(
          "heap after GC: %d MiB without checks, %d MiB with %d checks running (+%d KiB, %.2f KiB"
              + " per target)%n",
          heapWithoutChecks >> 20,
          heapWithChecks >> 20,
          targets,
          (heapWithChecks - heapWithoutChecks) >> 10,
          (heapWithChecks - heapWithoutChecks) / 1024.0 / targets);
    } finally {
      for (LoopbackHttpTarget target : servers) {
        target.close();
      }
    }
  }

  private static long checkerCpuNanos(ThreadMXBean threads) {
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("health-")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
