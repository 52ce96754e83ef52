package dev.cloudmapdns.dns.engine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal errors met while answering queries, reported at most once per interval: the first
 * failure of an interval is logged with its stack trace and the number of failures since the last
 * report, the others only counted. A defect hit by every query would otherwise write a stack trace
 * per query, tens of thousands a second, and take the disk and the log reader down with it.
 */
public final class AnswerFailures {
  /** Where a report goes: the message and the failure that triggered it. */
  @FunctionalInterface
  public interface Reporter {
    void report(String message, Throwable failure);
  }

  private static final Logger LOG = LoggerFactory.getLogger(DnsWireHandler.class);

  /** One report at most every 10 s. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  private final Reporter reporter;
  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final AtomicLong unreported = new AtomicLong();
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong nextReportAt;

  /** Reports to this class's logger every {@link #DEFAULT_INTERVAL} at most. */
  public AnswerFailures() {
    this((message, failure) -> LOG.error(message, failure), DEFAULT_INTERVAL, System::nanoTime);
  }

  public AnswerFailures(Reporter reporter, Duration interval, LongSupplier nanoClock) {
    this.reporter = reporter;
    this.intervalNanos = interval.toNanos();
    this.nanoClock = nanoClock;
    this.nextReportAt = new AtomicLong(nanoClock.getAsLong());
  }

  /** Counts one failure, and reports it when the interval since the last report has passed. */
  public void record(Object question, Throwable failure) {
    total.incrementAndGet();
    long count = unreported.incrementAndGet();
    long now = nanoClock.getAsLong();
    long due = nextReportAt.get();
    if (now - due >= 0 && nextReportAt.compareAndSet(due, now + intervalNanos)) {
      long reported = count;
      unreported.addAndGet(-reported);
      reporter.report(
          "internal error answering "
              + question
              + " (answered SERVFAIL; "
              + reported
              + (reported == 1 ? " failure" : " failures")
              + " since the last report, "
              + total.get()
              + " in all)",
          failure);
    }
  }

  /** Every failure recorded since start. */
  public long total() {
    return total.get();
  }
}
