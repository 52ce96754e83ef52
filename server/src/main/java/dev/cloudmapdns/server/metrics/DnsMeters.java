package dev.cloudmapdns.server.metrics;

import dev.cloudmapdns.dns.engine.DnsQueryRecorder;
import dev.cloudmapdns.dns.forward.ForwardingRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.xbill.DNS.Rcode;

/**
 * DNS queries by transport and rcode ({@code cloudmap_dns_queries_total}), their latency as a
 * histogram with fixed buckets ({@code cloudmap_dns_query_seconds}), and forwarded queries by
 * outcome ({@code cloudmap_dns_forwarded_total}). A counter is registered the first time its
 * transport and rcode occur, then found by array index: no lock, map lookup or allocation per
 * query.
 */
public final class DnsMeters implements DnsQueryRecorder, ForwardingRecorder {
  /** From a cache hit on loopback (tens of microseconds) to a forwarded query timing out. */
  private static final Duration[] BUCKETS = {
    Duration.ofNanos(50_000),
    Duration.ofNanos(100_000),
    Duration.ofNanos(250_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(2),
    Duration.ofSeconds(5)
  };

  private static final Channel[] CHANNELS = Channel.values();

  private final MeterRegistry registry;
  private final AtomicReferenceArray<Counter> queries =
      new AtomicReferenceArray<>(CHANNELS.length * 16);
  private final Timer[] latency = new Timer[CHANNELS.length];
  private final Counter[] forwarded = new Counter[Outcome.values().length];

  public DnsMeters(MeterRegistry registry) {
    this.registry = registry;
    for (Channel channel : CHANNELS) {
      latency[channel.ordinal()] =
          Timer.builder("cloudmap.dns.query")
              .description("Time from reading a DNS query to sending its reply")
              .tag("transport", label(channel))
              .serviceLevelObjectives(BUCKETS)
              .register(registry);
    }
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
    int index = channel.ordinal() * 16 + (rcode & 0xF);
    Counter counter = queries.get(index);
    if (counter == null) {
      counter =
          Counter.builder("cloudmap.dns.queries")
              .description("DNS replies sent, by transport and rcode")
              .tag("transport", label(channel))
              .tag("rcode", Rcode.string(rcode & 0xF))
              .register(registry);
      queries.set(index, counter); // a race registers the same counter twice: Micrometer dedups
    }
    counter.increment();
    latency[channel.ordinal()].record(elapsedNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void forwarded(Outcome outcome) {
    forwarded[outcome.ordinal()].increment();
  }

  private static String label(Channel channel) {
    return channel.name().toLowerCase(Locale.ROOT);
  }
}
