package dev.cloudmapdns.server.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.health.HealthSettings;
import dev.cloudmapdns.server.registry.InitialCheckStatus;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthConfigurationTest {

  private static HealthConfiguration config(Duration interval, Duration jitter, boolean healthy) {
    return new HealthConfiguration(true, interval, Duration.ofSeconds(2), jitter, 256, healthy);
  }

  @Test
  void jitterDefaultsToATenthOfTheInterval() {
    HealthSettings settings = config(Duration.ofSeconds(5), null, false).settings();
    assertEquals(Duration.ofMillis(500), settings.jitter());
    assertEquals(Duration.ofSeconds(5), settings.interval());
    assertEquals(256, settings.maxConcurrentProbes());
  }

  @Test
  void refusesAJitterOfHalfTheIntervalOrMoreNamingTheSetting() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> config(Duration.ofSeconds(1), Duration.ofMillis(500), false).settings());
    assertTrue(e.getMessage().startsWith("cloudmap.health: jitter"), e.getMessage());
  }

  @Test
  void refusesANonPositiveInterval() {
    assertThrows(ConfigurationException.class, () -> config(Duration.ZERO, null, false).settings());
  }

  @Test
  void initiallyHealthyRestoresRoute53sStart() {
    assertEquals(
        InitialCheckStatus.UNKNOWN_UNTIL_CHECKED,
        config(Duration.ofSeconds(5), null, false).initialCheckStatus());
    assertEquals(
        InitialCheckStatus.HEALTHY_UNTIL_FAILED,
        config(Duration.ofSeconds(5), null, true).initialCheckStatus());
  }
}
