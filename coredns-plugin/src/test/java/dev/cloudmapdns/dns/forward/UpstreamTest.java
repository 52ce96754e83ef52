package dev.cloudmapdns.dns.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How {@code cloudmap.dns.forwarders} entries name upstreams. */
class UpstreamTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "127.0.0.1:5300, 127.0.0.1:5300",
    "127.0.0.1, 127.0.0.1:53",
    "' 127.0.0.1:53 ', 127.0.0.1:53",
    "[::1]:5300, 0:0:0:0:0:0:0:1:5300",
    "[::1], 0:0:0:0:0:0:0:1:53",
    "::1, 0:0:0:0:0:0:0:1:53",
    "localhost:5300, 127.0.0.1:5300",
  })
  void parsesHostAndOptionalPort(String entry, String upstream) {
    assertEquals(
        List.of(upstream),
        Upstream.parseAll(List.of(entry)).stream().map(Upstream::toString).toList());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "127.0.0.1:dns, the port is not a number",
    "127.0.0.1:0, the port is not between 1 and 65535",
    "127.0.0.1:70000, the port is not between 1 and 65535",
    "[::1:53, an IPv6 address needs a closing ]",
    "[::1]53, expected :port after ]",
    ":53, no host",
  })
  void refusesWhatIsNotAnUpstreamNamingTheEntry(String entry, String reason) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Upstream.parseAll(List.of(entry)));
    assertEquals(
        "cloudmap.dns.forwarders: " + entry + " is not host:port (" + reason + ")", e.getMessage());
  }

  @Test
  void readsEveryNameserverOfAResolvConfInOrder(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("resolv.conf");
    Files.writeString(
        file,
        """
        # written by the test
        search example.internal
        nameserver 127.0.0.53
        options edns0 ndots:5
        nameserver fe80::1%eth0
        nameserver   127.0.0.54
        """);
    assertEquals(
        List.of("127.0.0.53:53", "fe80:0:0:0:0:0:0:1:53", "127.0.0.54:53", "127.0.0.1:5300"),
        Upstream.parseAll(List.of(file.toString(), "127.0.0.1:5300")).stream()
            .map(Upstream::toString)
            .toList());
  }

  @Test
  void refusesAResolvConfWithoutNameservers(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("resolv.conf");
    Files.writeString(file, "search example.internal\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Upstream.fromResolvConf(file));
    assertEquals("cloudmap.dns.forwarders: " + file + " names no nameserver", e.getMessage());
  }

  @Test
  void refusesAMissingResolvConf(@TempDir Path dir) {
    Path file = dir.resolve("missing-resolv.conf");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Upstream.parseAll(List.of(file.toString())));
    assertTrue(
        e.getMessage().startsWith("cloudmap.dns.forwarders: cannot read " + file), e.getMessage());
  }
}
