package dev.cloudmapdns.dns.forward;

/** Counts what became of forwarded queries; the server backs it with a metrics registry. */
public interface ForwardingRecorder {
  /** What one forwarded query came to. */
  enum Outcome {
    /** The first upstream answered. */
    ANSWERED,
    /** A later upstream answered after earlier ones failed. */
    ANSWERED_AFTER_FAILOVER,
    /** No upstream answered: the client got SERVFAIL. */
    FAILED
  }

  ForwardingRecorder NONE = outcome -> {};

  void forwarded(Outcome outcome);
}
