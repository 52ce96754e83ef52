package dev.cloudmapdns.server.seed;

import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryException;
import dev.cloudmapdns.server.registry.Service;
import dev.cloudmapdns.server.registry.ServiceSpec;
import dev.cloudmapdns.server.seed.SeedFile.SeedInstance;
import dev.cloudmapdns.server.seed.SeedFile.SeedNamespace;
import dev.cloudmapdns.server.seed.SeedFile.SeedService;
import java.nio.file.Path;
import java.util.List;

/**
 * Applies a seed file to the registry through the same commands the API uses, so a seed obeys
 * exactly the API's rules. A refused command stops loading with the file and line of the item.
 */
public final class SeedLoader {
  private final Registry registry;

  public SeedLoader(Registry registry) {
    this.registry = registry;
  }

  /** Loads {@code file}; returns how many instances were registered. */
  public int load(Path file) {
    String name = file.toString();
    List<SeedNamespace> namespaces = SeedFile.read(file);
    int instances = 0;
    for (SeedNamespace seedNamespace : namespaces) {
      Namespace namespace =
          attempt(name, seedNamespace.line(), () -> registry.createNamespace(seedNamespace.spec()));
      for (SeedService seedService : seedNamespace.services()) {
        ServiceSpec spec = seedService.spec();
        ServiceSpec placed =
            new ServiceSpec(
                spec.name(),
                namespace.id(),
                spec.description(),
                spec.dnsConfig(),
                spec.healthCheckConfig(),
                spec.healthCheckCustomConfig(),
                spec.creatorRequestId());
        Service service = attempt(name, seedService.line(), () -> registry.createService(placed));
        for (SeedInstance instance : seedService.instances()) {
          attempt(
              name,
              instance.line(),
              () ->
                  registry.registerInstance(
                      service.id(), instance.id(), instance.attributes(), null));
          instances++;
        }
      }
    }
    return instances;
  }

  private static <T> T attempt(String file, int line, Command<T> command) {
    try {
      return command.run();
    } catch (RegistryException e) {
      throw new SeedException(file + ":" + line + ": " + e.getMessage());
    }
  }

  @FunctionalInterface
  private interface Command<T> {
    T run();
  }
}
