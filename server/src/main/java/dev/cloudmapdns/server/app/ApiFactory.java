package dev.cloudmapdns.server.app;

import dev.cloudmapdns.api.CloudMapApi;
import dev.cloudmapdns.server.api.RegistryBackend;
import dev.cloudmapdns.server.registry.Registry;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Wires the Cloud Map API facade to the registry. */
@Factory
final class ApiFactory {
  @Singleton
  CloudMapApi cloudMapApi(Registry registry, ApiConfiguration config) {
    return new CloudMapApi(new RegistryBackend(registry), config.settings());
  }
}
