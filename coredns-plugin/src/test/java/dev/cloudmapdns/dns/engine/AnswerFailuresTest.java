package dev.cloudmapdns.dns.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Internal errors are reported once per interval, with how many there were. */
class AnswerFailuresTest {
  private record Report(String message, Throwable failure) {}

  private final List<Report> reports = new ArrayList<>();
  private long now = 1_000;
  private final AnswerFailures failures =
      new AnswerFailures(
          (message, failure) -> reports.add(new Report(message, failure)),
          Duration.ofNanos(100),
          () -> now);

  @Test
  void reportsTheFirstFailureAtOnceWithItsCause() {
    IllegalStateException cause = new IllegalStateException("defect");

    failures.record("web.app.local. A", cause);

    assertEquals(1, reports.size());
    assertSame(cause, reports.get(0).failure());
    assertTrue(reports.get(0).message().contains("web.app.local. A"), reports.get(0).message());
    assertTrue(reports.get(0).message().contains("1 failure since"), reports.get(0).message());
  }

  @Test
  void countsTheFailuresOfAnIntervalIntoItsNextReport() {
    failures.record("q", new IllegalStateException());
    for (int i = 0; i < 999; i++) { // a burst, all at the same instant
      failures.record("q", new IllegalStateException());
    }
    assertEquals(1, reports.size(), "one report for the burst");

    now += 100;
    failures.record("q", new IllegalStateException());

    assertEquals(2, reports.size());
    assertTrue(
        reports.get(1).message().contains("1000 failures since the last report, 1001 in all"),
        reports.get(1).message());
    assertEquals(1001, failures.total());
  }

  @Test
  void staysQuietUntilTheIntervalHasPassed() {
    failures.record("q", new IllegalStateException());
    now += 99;
    failures.record("q", new IllegalStateException());

    assertEquals(1, reports.size());
  }
}
