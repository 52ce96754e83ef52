package dev.cloudmapdns.server.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes: the tests' alternative to sleeping. */
public final class Await {
  private static final Duration DEFAULT = Duration.ofSeconds(10);

  private Await() {}

  public static void until(BooleanSupplier condition, Supplier<String> message) {
    until(DEFAULT, condition, message);
  }

  public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> message) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + message.get());
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
