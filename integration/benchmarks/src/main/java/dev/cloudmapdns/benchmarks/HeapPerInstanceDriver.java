package dev.cloudmapdns.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Benchmark (7): heap per registered instance. Fills a registry with its DNS projection (what the
 * server keeps per instance: the registry state and the compiled zone) with {@code instances}
 * instances in services of 5, and reports the heap in use after a full GC, before and after, per
 * instance. Usage: {@code HeapPerInstanceDriver [instances]} (default 100,000).
 */
public final class HeapPerInstanceDriver {
  private HeapPerInstanceDriver() {}

  public static void main(String[] args) throws InterruptedException {
    int instances = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    InProcessServer server = new InProcessServer();
    long before = usedAfterGc();
    RegistrySize.fill(server, instances);
    server.answers(InProcessServer.query("svc-0")); // the zone is built and served
    long after = usedAfterGc();
    System.out.printf(
        "instances=%d heap_before=%.1fMiB heap_after=%.1fMiB per_instance=%d bytes%n",
        instances, before / 1048576.0, after / 1048576.0, (after - before) / instances);
    if (server.registry.state().services().size() < instances / RegistrySize.PER_SERVICE) {
      throw new AssertionError("registry lost services");
    }
  }

  private static long usedAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(200);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
