package dev.cloudmapdns.server.app;

import dev.cloudmapdns.api.CloudMapApi;
import dev.cloudmapdns.server.api.RegistryBackend;
import dev.cloudmapdns.server.registry.Registry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;

/**
 * Wires the Cloud Map API facade to the registry, at start-up, so that a configuration mistake
 * stops the server at once rather than failing its first request.
 */
@Factory
final class ApiFactory {
  @Context
  CloudMapApi cloudMapApi(Registry registry, ApiConfiguration config) {
    return new CloudMapApi(new RegistryBackend(registry), config.settings());
  }
}
