package dev.cloudmapdns.dns.zone;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which Cloud Map instance ids can be the first labels of an SRV target. */
class HostNamesTest {
  static Stream<String> hostLabelSequences() {
    return Stream.of("web-1", "i", "A1", "_grpc", "a.b", "task-1.zone-a", "x".repeat(63));
  }

  @ParameterizedTest
  @MethodSource("hostLabelSequences")
  void acceptsHostNameLabels(String id) {
    assertTrue(HostNames.isHostLabelSequence(id));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "-web",
        "web-",
        "a..b",
        ".a",
        "a.",
        "ip-10-0-0-1:8080",
        "task/1",
        "me@host",
        "a b",
      })
  void rejectsIdsThatCannotBeHostNames(String id) {
    assertFalse(HostNames.isHostLabelSequence(id));
  }

  @ParameterizedTest
  @ValueSource(ints = {64, 201})
  void rejectsIdsTooLongForAHostName(int length) {
    String id = length == 64 ? "x".repeat(64) : ("x".repeat(60) + ".").repeat(4).substring(0, 201);

    assertFalse(HostNames.isHostLabelSequence(id));
  }
}
