package dev.cloudmapdns.server.health;

/**
 * The outcome of one probe.
 *
 * @param healthy whether the check passed
 * @param reason a short, log-friendly word or two: {@code connected}, {@code http 200}, {@code
 *     timeout}, {@code refused}, ...
 */
public record ProbeResult(boolean healthy, String reason) {
  static ProbeResult passed(String reason) {
    return new ProbeResult(true, reason);
  }

  static ProbeResult failed(String reason) {
    return new ProbeResult(false, reason);
  }
}
