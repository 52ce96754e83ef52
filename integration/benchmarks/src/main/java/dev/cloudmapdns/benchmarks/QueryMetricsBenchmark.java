package dev.cloudmapdns.benchmarks;

import dev.cloudmapdns.dns.engine.DnsQueryRecorder;
import dev.cloudmapdns.server.metrics.DnsMeters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.Rcode;

/**
 * Benchmark (7): what counting one DNS reply costs, as the transports do it after each reply (a
 * counter by transport and rcode, and the latency histogram). {@code none} is the recorder of a
 * server without metrics; {@code prometheus} is {@link DnsMeters} on the Prometheus registry the
 * application uses. Run with {@code -prof gc} to see the allocation per operation; two threads
 * count at once, as the UDP/TCP loop and gRPC do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(2)
public class QueryMetricsBenchmark {
  @Param({"none", "prometheus"})
  public String recorder;

  private DnsQueryRecorder target;

  @Setup
  public void setUp() {
    target =
        recorder.equals("none")
            ? DnsQueryRecorder.NONE
            : new DnsMeters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  @Benchmark
  public void countOneReply() {
    target.answered(DnsQueryRecorder.Channel.UDP, Rcode.NOERROR, 42_000);
  }
}
