package dev.cloudmapdns.server.metrics;

import dev.cloudmapdns.dns.engine.DnsQueryRecorder.Channel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Replies by transport and rcode, and their latency in fixed buckets, counted without a write that
 * two threads share. Each thread that records (the listener's event loops, gRPC's transport
 * threads) owns a cell of counters that only it writes; a scrape adds the cells up. Shared atomics,
 * as in Micrometer's timer, make every reply on one core invalidate the other core's cache line:
 * with two threads a count cost four times what it cost with one (benchmark (13) in
 * docs/benchmarks.md).
 *
 * <p>A cell lives as long as this object, so the counts of a thread that ends stay in the totals;
 * the recording threads are the servers' fixed event loops. A scrape reads each counter whole but
 * not all of them at one instant: a reply recorded meanwhile may be in its rcode count and not yet
 * in its bucket.
 */
final class QueryCounts {
  /**
   * Upper bounds of the latency buckets, from a cached answer on loopback to a forward timing out.
   */
  static final long[] BOUNDS_NANOS = {
    50_000L,
    100_000L,
    250_000L,
    500_000L,
    1_000_000L,
    2_000_000L,
    5_000_000L,
    10_000_000L,
    25_000_000L,
    50_000_000L,
    100_000_000L,
    250_000_000L,
    500_000_000L,
    1_000_000_000L,
    2_000_000_000L,
    5_000_000_000L
  };

  static final int RCODES = 16;

  /** The bounds above and one more bucket for everything slower (+Inf). */
  static final int BUCKETS = BOUNDS_NANOS.length + 1;

  private static final int CHANNELS = Channel.values().length;

  /** Longs before and after the counters, so two cells never share a cache line. */
  private static final int PAD = 8;

  private static final int REPLIES = PAD;
  private static final int LATENCY = REPLIES + CHANNELS * RCODES;
  private static final int NANOS = LATENCY + CHANNELS * BUCKETS;
  private static final int CELL_LENGTH = NANOS + CHANNELS + PAD;

  private static final VarHandle COUNTER = MethodHandles.arrayElementVarHandle(long[].class);

  private final List<long[]> cells = new CopyOnWriteArrayList<>();
  private final ThreadLocal<long[]> own = ThreadLocal.withInitial(this::newCell);

  /** One reply sent by the calling thread. */
  void record(Channel channel, int rcode, long elapsedNanos) {
    long[] cell = own.get();
    int c = channel.ordinal();
    increment(cell, REPLIES + c * RCODES + (rcode & 0xF), 1);
    increment(cell, LATENCY + c * BUCKETS + bucket(elapsedNanos), 1);
    increment(cell, NANOS + c, Math.max(0, elapsedNanos));
  }

  /** Every cell added up. */
  Totals totals() {
    long[] sum = new long[CELL_LENGTH];
    for (long[] cell : cells) {
      for (int i = REPLIES; i < NANOS + CHANNELS; i++) {
        sum[i] += (long) COUNTER.getOpaque(cell, i);
      }
    }
    return new Totals(sum);
  }

  /** The counts of one scrape. */
  static final class Totals {
    private final long[] sum;

    private Totals(long[] sum) {
      this.sum = sum;
    }

    long replies(Channel channel, int rcode) {
      return sum[REPLIES + channel.ordinal() * RCODES + rcode];
    }

    /** Replies in latency bucket {@code bucket} (not cumulative; the last is above every bound). */
    long inBucket(Channel channel, int bucket) {
      return sum[LATENCY + channel.ordinal() * BUCKETS + bucket];
    }

    long nanos(Channel channel) {
      return sum[NANOS + channel.ordinal()];
    }
  }

  static int bucket(long elapsedNanos) {
    int bucket = 0;
    while (bucket < BOUNDS_NANOS.length && elapsedNanos > BOUNDS_NANOS[bucket]) {
      bucket++;
    }
    return bucket;
  }

  /** Only the owning thread writes its cell; opaque access keeps each long whole for a scrape. */
  private static void increment(long[] cell, int index, long delta) {
    COUNTER.setOpaque(cell, index, (long) COUNTER.getOpaque(cell, index) + delta);
  }

  private long[] newCell() {
    long[] cell = new long[CELL_LENGTH];
    cells.add(cell);
    return cell;
  }
}
