package dev.cloudmapdns.server.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cloudmapdns.server.registry.HealthStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthTrackerTest {

  /**
   * Each row: the threshold, the starting status, the check results ({@code +} passed, {@code -}
   * failed) and the status after each result (U unknown, H healthy, X unhealthy).
   */
  @ParameterizedTest(name = "threshold {0} from {1}: {2} -> {3}")
  @CsvSource({
    // The first result decides at once, whatever the threshold.
    "1, UNKNOWN, +, H",
    "1, UNKNOWN, -, X",
    "3, UNKNOWN, +, H",
    "3, UNKNOWN, -, X",
    "10, UNKNOWN, -, X",
    // Threshold 1: every opposite result flips.
    "1, UNKNOWN, +-+-, HXHX",
    "1, UNKNOWN, ++--, HHXX",
    // Threshold 3: three consecutive failures to go down, three successes to come back.
    "3, UNKNOWN, +---, HHHX",
    "3, UNKNOWN, +---+++, HHHXXXH",
    "3, UNKNOWN, +-------, HHHXXXXX",
    // Flaps shorter than the threshold never flip, and a result that agrees resets the count.
    "3, UNKNOWN, +--+--+--, HHHHHHHHH",
    "3, UNKNOWN, -++-++-++, XXXXXXXXX",
    "2, UNKNOWN, +-+-+-+-, HHHHHHHH",
    // Recovery after a long outage needs exactly the threshold.
    "2, UNKNOWN, ------++, XXXXXXXH",
    "10, UNKNOWN, +----------, HHHHHHHHHHX",
    "10, UNKNOWN, +---------+, HHHHHHHHHHH",
    // Starting from a known status (Route 53's initial HEALTHY, or a status kept across a restart).
    "3, HEALTHY, -, H",
    "3, HEALTHY, ---, HHX",
    "3, HEALTHY, --+---, HHHHHX",
    "2, UNHEALTHY, ++, XH",
    "1, UNHEALTHY, +, H",
  })
  void followsTheThresholdRule(int threshold, HealthStatus start, String results, String expected) {
    HealthTracker tracker = HealthTracker.startingAt(start, threshold);
    List<String> statuses = new ArrayList<>();
    for (char result : results.toCharArray()) {
      tracker = tracker.record(result == '+');
      statuses.add(letter(tracker.status()));
    }
    assertEquals(expected, String.join("", statuses));
  }

  @Test
  void countsOnlyOppositeResults() {
    HealthTracker tracker = HealthTracker.startingAt(HealthStatus.HEALTHY, 3);
    tracker = tracker.record(false).record(false);
    assertEquals(2, tracker.streak());
    assertEquals(0, tracker.record(true).streak());
  }

  @Test
  void agreeingResultWithoutStreakKeepsTheSameValue() {
    HealthTracker tracker = HealthTracker.startingAt(HealthStatus.HEALTHY, 3);
    assertSame(tracker, tracker.record(true));
  }

  @Test
  void refusesThresholdsBelowOne() {
    assertThrows(
        IllegalArgumentException.class, () -> HealthTracker.startingAt(HealthStatus.UNKNOWN, 0));
  }

  @Test
  void refusesAStreakThatShouldAlreadyHaveFlipped() {
    assertThrows(
        IllegalArgumentException.class, () -> new HealthTracker(HealthStatus.HEALTHY, 2, 2));
  }

  private static String letter(HealthStatus status) {
    return switch (status) {
      case HEALTHY -> "H";
      case UNHEALTHY -> "X";
      case UNKNOWN -> "U";
    };
  }
}
