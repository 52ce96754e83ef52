package dev.cloudmapdns.server.metrics;

import dev.cloudmapdns.dns.engine.DnsQueryRecorder;
import dev.cloudmapdns.dns.forward.ForwardingRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Rcode;

/**
 * DNS replies by transport and rcode ({@code cloudmap_dns_queries_total}), their latency as a
 * histogram with fixed buckets ({@code cloudmap_dns_query_seconds}), and forwarded queries by
 * outcome ({@code cloudmap_dns_forwarded_total}). The first two are counted per thread in {@link
 * QueryCounts} (no lock, no allocation, no shared write per query) and handed to the Prometheus
 * registry as a collector, which adds the threads' counts up when {@code /metrics} is scraped; a
 * reply counter appears with its first reply.
 */
public final class DnsMeters implements DnsQueryRecorder, ForwardingRecorder {
  private static final Channel[] CHANNELS = Channel.values();
  private static final double[] UPPER_BOUNDS_SECONDS = upperBoundsSeconds();

  private final QueryCounts counts = new QueryCounts();
  private final Counter[] forwarded = new Counter[Outcome.values().length];

  public DnsMeters(PrometheusMeterRegistry registry) {
    registry.getPrometheusRegistry().register(new Collector());
    for (Outcome outcome : Outcome.values()) {
      forwarded[outcome.ordinal()] =
          Counter.builder("cloudmap.dns.forwarded")
              .description("Queries for names outside every namespace, sent to upstream resolvers")
              .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
              .register(registry);
    }
  }

  @Override
  public void answered(Channel channel, int rcode, long elapsedNanos) {
    counts.record(channel, rcode, elapsedNanos);
  }

  @Override
  public void forwarded(Outcome outcome) {
    forwarded[outcome.ordinal()].increment();
  }

  /** The per-thread counts as Prometheus snapshots, made at each scrape. */
  private final class Collector implements MultiCollector {
    private static final String REPLIES = "cloudmap_dns_queries";
    private static final String LATENCY = "cloudmap_dns_query_seconds";

    @Override
    public MetricSnapshots collect() {
      QueryCounts.Totals totals = counts.totals();
      List<CounterDataPointSnapshot> replies = new ArrayList<>();
      List<HistogramDataPointSnapshot> latency = new ArrayList<>();
      for (Channel channel : CHANNELS) {
        String transport = channel.name().toLowerCase(Locale.ROOT);
        for (int rcode = 0; rcode < QueryCounts.RCODES; rcode++) {
          long sent = totals.replies(channel, rcode);
          if (sent > 0) {
            Labels labels = Labels.of("rcode", Rcode.string(rcode), "transport", transport);
            replies.add(new CounterDataPointSnapshot(sent, labels, null, 0L));
          }
        }
        long[] inBucket = new long[QueryCounts.BUCKETS];
        for (int bucket = 0; bucket < inBucket.length; bucket++) {
          inBucket[bucket] = totals.inBucket(channel, bucket);
        }
        latency.add(
            new HistogramDataPointSnapshot(
                ClassicHistogramBuckets.of(UPPER_BOUNDS_SECONDS, inBucket),
                Unit.nanosToSeconds(totals.nanos(channel)),
                Labels.of("transport", transport),
                Exemplars.EMPTY,
                0L));
      }
      return MetricSnapshots.of(
          new CounterSnapshot(
              new MetricMetadata(REPLIES, "DNS replies sent, by transport and rcode"), replies),
          new HistogramSnapshot(
              new MetricMetadata(
                  LATENCY, "Time from reading a DNS query to sending its reply", Unit.SECONDS),
              latency));
    }

    @Override
    public List<String> getPrometheusNames() {
      return List.of(REPLIES, LATENCY);
    }
  }

  private static double[] upperBoundsSeconds() {
    double[] bounds = new double[QueryCounts.BUCKETS];
    for (int i = 0; i < QueryCounts.BOUNDS_NANOS.length; i++) {
      bounds[i] = Unit.nanosToSeconds(QueryCounts.BOUNDS_NANOS[i]);
    }
    bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
    return bounds;
  }
}
