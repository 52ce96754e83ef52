package dev.cloudmapdns.server.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.context.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;

class GrpcConcurrencyLimitTest {

  @Test
  void refusesALimitBelowOneNamingTheSetting() {
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> new GrpcConcurrencyLimit(0));
    assertEquals(
        "cloudmap.grpc.max-calls-per-connection must be at least 1, not 0", e.getMessage());
  }
}
