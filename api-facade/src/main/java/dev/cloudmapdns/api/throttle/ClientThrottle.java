package dev.cloudmapdns.api.throttle;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per client. A call takes a token; tokens come back at the configured rate up to
 * the burst. Buckets of clients that went quiet (full again) are forgotten once more than {@link
 * #MAX_TRACKED_CLIENTS} are held, so the map stays bounded however many addresses call.
 */
public final class ClientThrottle {
  static final int MAX_TRACKED_CLIENTS = 10_000;

  private final RequestRate rate;
  private final LongSupplier nanoClock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public ClientThrottle(RequestRate rate) {
    this(rate, System::nanoTime);
  }

  public ClientThrottle(RequestRate rate, LongSupplier nanoClock) {
    this.rate = rate;
    this.nanoClock = nanoClock;
  }

  /** Takes one call from {@code client}'s allowance; false when it has none left just now. */
  public boolean tryAcquire(String client) {
    if (rate.isUnlimited()) {
      return true;
    }
    long now = nanoClock.getAsLong();
    Bucket bucket = buckets.get(client);
    if (bucket == null) {
      if (buckets.size() >= MAX_TRACKED_CLIENTS) {
        buckets.values().removeIf(b -> b.isFull(now));
      }
      bucket = buckets.computeIfAbsent(client, c -> new Bucket(rate, now));
    }
    return bucket.tryTake(now);
  }

  /** How many clients are being tracked. */
  int trackedClients() {
    return buckets.size();
  }

  private static final class Bucket {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long refilledAt;

    Bucket(RequestRate rate, long now) {
      this.perNano = rate.perSecond() / 1e9;
      this.capacity = rate.burst();
      this.tokens = capacity;
      this.refilledAt = now;
    }

    synchronized boolean tryTake(long now) {
      refill(now);
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }

    synchronized boolean isFull(long now) {
      refill(now);
      return tokens >= capacity;
    }

    private void refill(long now) {
      long elapsed = now - refilledAt;
      if (elapsed > 0) {
        tokens = Math.min(capacity, tokens + elapsed * perNano);
        refilledAt = now;
      }
    }
  }
}
