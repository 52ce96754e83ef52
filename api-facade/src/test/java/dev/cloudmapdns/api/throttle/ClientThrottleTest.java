package dev.cloudmapdns.api.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One allowance per client, refilled at the configured rate. */
class ClientThrottleTest {
  private long now = 0;

  private ClientThrottle throttle(double perSecond, int burst) {
    return new ClientThrottle(new RequestRate(perSecond, burst), () -> now);
  }

  private static int taken(ClientThrottle throttle, String client, int attempts) {
    int taken = 0;
    for (int i = 0; i < attempts; i++) {
      if (throttle.tryAcquire(client)) {
        taken++;
      }
    }
    return taken;
  }

  @ParameterizedTest(name = "{0}/s, burst {1}: {2} of 100 at once")
  @CsvSource({"10,5,5", "10,1,1", "1000,50,50", "0,0,100"})
  void allowsAtMostTheBurstAtOnce(double rate, int burst, int allowed) {
    assertEquals(allowed, taken(throttle(rate, burst), "10.0.0.1", 100));
  }

  @Test
  void refillsAtTheRate() {
    ClientThrottle throttle = throttle(10, 5);
    taken(throttle, "a", 5);
    assertFalse(throttle.tryAcquire("a"));

    now += TimeUnit.MILLISECONDS.toNanos(300); // 3 calls' worth at 10/s

    assertEquals(3, taken(throttle, "a", 10));
  }

  @Test
  void neverRefillsAboveTheBurst() {
    ClientThrottle throttle = throttle(10, 5);
    now += TimeUnit.HOURS.toNanos(1);

    assertEquals(5, taken(throttle, "a", 100));
  }

  @Test
  void oneClientsLoadDoesNotThrottleAnother() {
    ClientThrottle throttle = throttle(10, 5);
    taken(throttle, "busy", 100);

    assertTrue(throttle.tryAcquire("quiet"));
  }

  @Test
  void forgetsQuietClientsWhenTooManyAreTracked() {
    ClientThrottle throttle = throttle(10, 5);
    for (int i = 0; i < ClientThrottle.MAX_TRACKED_CLIENTS; i++) {
      throttle.tryAcquire("client-" + i);
    }
    now += TimeUnit.SECONDS.toNanos(1); // everyone's bucket is full again

    throttle.tryAcquire("newcomer");

    assertEquals(1, throttle.trackedClients());
  }

  @ParameterizedTest(name = "{0}/s, burst {1}")
  @CsvSource({"-1,5", "NaN,5", "10,0"})
  void refusesARateThatMeansNothing(double rate, int burst) {
    assertThrows(IllegalArgumentException.class, () -> new RequestRate(rate, burst));
  }
}
