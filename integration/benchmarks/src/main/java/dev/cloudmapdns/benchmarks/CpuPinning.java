package dev.cloudmapdns.benchmarks;

import java.util.List;

/**
 * Optional CPU pinning of the servers under test and of the load generator, so that they stop
 * taking cores from each other: {@code -Dbench.server-cpus=0 -Dbench.client-cpus=1} runs every
 * server on CPU 0 and dnsperf on CPU 1 (Linux {@code taskset} CPU lists). A server started this way
 * sees only its CPUs and sizes its threads for them, as it would on a machine that small. Unset,
 * nothing is pinned.
 */
final class CpuPinning {
  private CpuPinning() {}

  /** The command prefix for a server process: {@code taskset -c <cpus>}, or nothing. */
  static List<String> server() {
    return prefix("bench.server-cpus");
  }

  /** The command prefix for a load generator process, or nothing. */
  static List<String> client() {
    return prefix("bench.client-cpus");
  }

  /** A line for a driver's report saying what was pinned where. */
  static String describe() {
    String servers = System.getProperty("bench.server-cpus", "");
    String clients = System.getProperty("bench.client-cpus", "");
    return servers.isEmpty() && clients.isEmpty()
        ? "CPUs: not pinned, servers and load generator share every core"
        : "CPUs: servers on " + or(servers) + ", load generator on " + or(clients);
  }

  private static String or(String cpus) {
    return cpus.isEmpty() ? "any" : cpus;
  }

  private static List<String> prefix(String property) {
    String cpus = System.getProperty(property, "");
    if (cpus.isEmpty()) {
      return List.of();
    }
    if (!cpus.matches("[0-9]+([,-][0-9]+)*")) {
      throw new IllegalArgumentException(
          property + " must be a CPU list such as 0 or 0-1, not " + cpus);
    }
    return List.of("taskset", "-c", cpus);
  }
}
