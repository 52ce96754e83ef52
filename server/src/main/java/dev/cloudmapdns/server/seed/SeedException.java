package dev.cloudmapdns.server.seed;

/** A seed file that cannot be loaded; the message names the file, the line and the problem. */
public final class SeedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SeedException(String message) {
    super(message);
  }
}
