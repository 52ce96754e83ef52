package dev.cloudmapdns.benchmarks;

import dev.cloudmapdns.server.registry.HealthStatus;
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
 * Benchmark (1): from a registry change to the DNS answer that shows it. One operation is a health
 * flip of one instance through {@code Registry.updateHealth} (the call a health worker makes),
 * followed by the next query for that service through the answer engine, which must already see the
 * flip. The zone holds {@code instancesInZone} instances in services of 5, fewer than the 8 a
 * MULTIVALUE answer holds (addresses are data only: nothing is probed here).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class ChangeToAnswerBenchmark {
  @Param({"10", "1000", "5000", "100000"})
  public int instancesInZone;

  private InProcessServer server;
  private String serviceId;
  private Message query;
  private boolean healthy = true;

  @Setup
  public void setUp() {
    server = new InProcessServer();
    serviceId = RegistrySize.fill(server, instancesInZone);
    query = InProcessServer.query("svc-0");
  }

  @Benchmark
  public int healthChangeThenQuery() {
    healthy = !healthy;
    server.registry.updateHealth(
        serviceId, "i-0", healthy ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY);
    boolean answered = server.answers(query).contains("10.0.0.0");
    if (answered != healthy) {
      throw new AssertionError("the answer does not show the change");
    }
    return answered ? 1 : 0;
  }
}
