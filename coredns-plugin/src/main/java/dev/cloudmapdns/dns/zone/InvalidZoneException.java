package dev.cloudmapdns.dns.zone;

/** A zone definition that cannot become DNS data, such as a name longer than 255 octets. */
public final class InvalidZoneException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidZoneException(String message) {
    super(message);
  }
}
