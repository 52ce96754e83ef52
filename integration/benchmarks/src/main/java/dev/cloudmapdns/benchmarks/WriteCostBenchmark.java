package dev.cloudmapdns.benchmarks;

import dev.cloudmapdns.server.registry.HealthStatus;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.Message;

/**
 * Benchmark (6): what a write and a query cost as the registry grows, side by side at 10 and
 * 100,000 instances in one namespace (services of 5). Each write goes the whole way a write goes in
 * the server: decided, committed (in-memory store: the SQLite sync is benchmark (4)), published,
 * and compiled into the DNS zone before it returns.
 *
 * <ul>
 *   <li>{@code registerInstance}: RegisterInstance into a service of its own, cycling over {@code
 *       targetServiceSize} instance ids with a new address each time (so both new and changed
 *       registrations).
 *   <li>{@code healthChange}: one instance's health flipped, as a health worker pushes it.
 *   <li>{@code dnsQuery}: one A query through the answer engine (sample time: the p99).
 * </ul>
 */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class WriteCostBenchmark {
  @Param({"10", "100000"})
  public int instancesInNamespace;

  /** How many instance ids {@code registerInstance} cycles over: the size of the service. */
  @Param({"500"})
  public int targetServiceSize;

  private InProcessServer server;
  private String queried;
  private String target;
  private Message query;
  private int next;
  private boolean healthy = true;

  @Setup
  public void setUp() {
    server = new InProcessServer();
    queried = RegistrySize.fill(server, instancesInNamespace);
    target = server.service("target", null);
    query = InProcessServer.query("svc-0");
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public Object registerInstance() {
    int n = next++;
    return server.registry.registerInstance(
        target,
        "n-" + (n % targetServiceSize),
        Map.of("AWS_INSTANCE_IPV4", RegistrySize.address(n & 0xFFFF)),
        null);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public boolean healthChange() {
    healthy = !healthy;
    return server.registry.updateHealth(
        queried, "i-0", healthy ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY);
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Message dnsQuery() {
    return server.engine.answer(query);
  }
}
