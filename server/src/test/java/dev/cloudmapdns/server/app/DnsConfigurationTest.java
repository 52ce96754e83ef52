package dev.cloudmapdns.server.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cloudmapdns.dns.listener.DnsListener;
import io.micronaut.context.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;

class DnsConfigurationTest {

  private static DnsConfiguration withEventLoops(int loops) {
    return new DnsConfiguration(
        true, "127.0.0.1", 0, loops, "ns.cloudmap-dns.", "hostmaster.cloudmap-dns.", false);
  }

  @Test
  void zeroEventLoopsMeansOnePerTwoCores() {
    assertEquals(DnsListener.defaultLoops(), withEventLoops(0).eventLoops());
    assertEquals(
        Math.max(1, Runtime.getRuntime().availableProcessors() / 2), DnsListener.defaultLoops());
  }

  @Test
  void aPositiveCountIsKept() {
    assertEquals(3, withEventLoops(3).eventLoops());
  }

  @Test
  void refusesANegativeCountNamingTheSetting() {
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> withEventLoops(-1).eventLoops());
    assertEquals(
        "cloudmap.dns.listener-event-loops must be 0 (the default: one per two cores) or more,"
            + " not -1",
        e.getMessage());
  }
}
