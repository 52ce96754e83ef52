package dev.cloudmapdns.server.testing;

import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryIdentity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Empty registries with a fixed identity and a fixed clock. */
public final class TestRegistries {
  public static final String REGION = "eu-west-1";
  public static final String ACCOUNT = "111122223333";
  public static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

  private TestRegistries() {}

  public static Registry newRegistry() {
    return new Registry(new RegistryIdentity(REGION, ACCOUNT), Clock.fixed(NOW, ZoneOffset.UTC));
  }
}
