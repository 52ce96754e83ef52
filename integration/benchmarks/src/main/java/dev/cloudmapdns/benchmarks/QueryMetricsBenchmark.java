package dev.cloudmapdns.benchmarks;

import dev.cloudmapdns.dns.engine.DnsQueryRecorder;
import dev.cloudmapdns.dns.engine.DnsReply;
import dev.cloudmapdns.dns.engine.DnsWireHandler;
import dev.cloudmapdns.dns.engine.Transport;
import dev.cloudmapdns.server.metrics.DnsMeters;
import dev.cloudmapdns.server.metrics.MetricsFactory;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.Rcode;

/**
 * Benchmark (8): what counting one DNS reply costs, as the transports do it after each reply (a
 * counter by transport and rcode, and the latency histogram). {@code none} is the recorder of a
 * server without metrics; {@code prometheus} is {@link DnsMeters} on the Prometheus registry the
 * application uses. {@code answerAndCountOneQuery} puts it beside what a query costs anyway (parse,
 * answer, render). Run with {@code -prof gc} to see the allocation per operation. Each two threads
 * share the handler and the meters, as the UDP/TCP loop and gRPC do.
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
  private DnsWireHandler handler;
  private byte[] query;

  @Setup
  public void setUp() {
    target =
        recorder.equals("none")
            ? DnsQueryRecorder.NONE
            : new DnsMeters(MetricsFactory.prometheus());
    InProcessServer server = new InProcessServer();
    String service = server.service("web", null);
    for (int i = 1; i <= 3; i++) {
      server.registry.registerInstance(
          service, "web-" + i, Map.of("AWS_INSTANCE_IPV4", "10.0.0." + i), null);
    }
    handler = new DnsWireHandler(server.engine);
    query = InProcessServer.query("web").toWire();
  }

  /** Counting alone. */
  @Benchmark
  public void countOneReply() {
    target.answered(DnsQueryRecorder.Channel.UDP, Rcode.NOERROR, 42_000);
  }

  /** What a UDP query costs the server, parsing to rendered reply, with its counting. */
  @Benchmark
  public int answerAndCountOneQuery() {
    long started = System.nanoTime();
    DnsReply.Answered reply = (DnsReply.Answered) handler.handle(query, Transport.UDP);
    target.answered(DnsQueryRecorder.Channel.UDP, reply.rcode(), System.nanoTime() - started);
    return reply.wire().length;
  }
}
