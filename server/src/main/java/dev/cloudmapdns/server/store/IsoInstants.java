package dev.cloudmapdns.server.store;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;

/**
 * Reads back what {@link Instant#toString()} wrote ({@code 2024-05-01T12:00:00.123456Z}). Start-up
 * parses one or two per instance, and {@link Instant#parse} costs microseconds each while the JVM
 * is cold; this reads the one shape we write directly and leaves any other to {@link
 * Instant#parse}, so the result is always the same.
 */
final class IsoInstants {
  private IsoInstants() {}

  static Instant parse(String text) {
    int length = text.length();
    if (length >= 20
        && length <= 30
        && text.charAt(4) == '-'
        && text.charAt(7) == '-'
        && text.charAt(10) == 'T'
        && text.charAt(13) == ':'
        && text.charAt(16) == ':'
        && text.charAt(length - 1) == 'Z'
        && (length == 20 || (length > 21 && text.charAt(19) == '.'))) {
      try {
        long day =
            LocalDate.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10)).toEpochDay();
        int second =
            LocalTime.of(digits(text, 11, 13), digits(text, 14, 16), digits(text, 17, 19))
                .toSecondOfDay();
        int nanos = 0;
        if (length > 20) {
          nanos = digits(text, 20, length - 1);
          for (int i = length - 1 - 20; i < 9; i++) {
            nanos *= 10;
          }
        }
        return Instant.ofEpochSecond(day * 86_400 + second, nanos);
      } catch (DateTimeException | NumberFormatException e) {
        // Not the shape we write after all; Instant.parse decides.
      }
    }
    return Instant.parse(text);
  }

  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new NumberFormatException(text);
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
