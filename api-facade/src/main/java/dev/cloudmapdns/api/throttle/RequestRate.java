package dev.cloudmapdns.api.throttle;

/**
 * How many API calls one client may make: {@code perSecond} on average, with bursts of up to {@code
 * burst} calls at once. A rate of 0 means no limit.
 */
public record RequestRate(double perSecond, int burst) {
  public RequestRate {
    if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException(
          "the rate must be a number of calls per second, 0 or more");
    }
    if (perSecond > 0 && burst < 1) {
      throw new IllegalArgumentException("the burst must be at least 1 call");
    }
  }

  public static RequestRate unlimited() {
    return new RequestRate(0, 0);
  }

  public boolean isUnlimited() {
    return perSecond == 0;
  }
}
