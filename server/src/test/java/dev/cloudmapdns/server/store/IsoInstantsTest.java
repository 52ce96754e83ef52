package dev.cloudmapdns.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** IsoInstants reads exactly what Instant.parse reads. */
class IsoInstantsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2024-05-01T12:00:00Z",
        "2024-05-01T12:00:00.100Z",
        "2024-05-01T12:00:00.123456Z",
        "2024-05-01T12:00:00.123456789Z",
        "2024-02-29T23:59:59.000000001Z",
        "1970-01-01T00:00:00Z",
        "0000-01-01T00:00:00Z",
        "1969-12-31T23:59:59.999Z",
        "+10000-01-01T00:00:00Z",
        "-0001-01-01T00:00:00Z",
        "2024-05-01T12:00:00.5Z"
      })
  void readsWhatInstantParseReads(String text) {
    assertEquals(Instant.parse(text), IsoInstants.parse(text));
  }

  @Test
  void roundTripsRandomInstants() {
    Random random = new Random(11);
    for (int i = 0; i < 10_000; i++) {
      Instant instant =
          Instant.ofEpochSecond(
              random.nextLong() % 400_000_000_000L, random.nextInt(1_000_000_000));
      assertEquals(instant, IsoInstants.parse(instant.toString()));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"2024-13-01T12:00:00Z", "2024-02-30T12:00:00Z", "2024-05-01T12:60:00Z"})
  void refusesWhatInstantParseRefuses(String text) {
    assertThrows(DateTimeParseException.class, () -> Instant.parse(text));
    assertThrows(DateTimeParseException.class, () -> IsoInstants.parse(text));
  }
}
