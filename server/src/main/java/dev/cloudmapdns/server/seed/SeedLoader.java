package dev.cloudmapdns.server.seed;

import dev.cloudmapdns.server.registry.Operation;
import dev.cloudmapdns.server.registry.OperationTarget;
import dev.cloudmapdns.server.registry.Registration;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryCommand;
import dev.cloudmapdns.server.registry.RegistryException;
import dev.cloudmapdns.server.registry.Service;
import dev.cloudmapdns.server.registry.ServiceSpec;
import dev.cloudmapdns.server.seed.SeedFile.SeedInstance;
import dev.cloudmapdns.server.seed.SeedFile.SeedNamespace;
import dev.cloudmapdns.server.seed.SeedFile.SeedService;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a seed file to the registry through the same commands the API uses, so a seed obeys
 * exactly the API's rules. The whole file is checked first, by a dry run ({@link
 * Registry#decideAll}: every command decided against a private draft of the registry's state,
 * nothing applied); only a seed that passes whole is applied, and it is the very batch the dry run
 * decided ({@link Registry#commit(Registry.DecidedBatch)}: one store transaction, one published
 * state), so the file is decided once, not twice. A refused item names the file and its line, and
 * leaves the registry exactly as it was, so a corrected seed is loaded on the next start.
 */
public final class SeedLoader {
  private static final Logger LOG = LoggerFactory.getLogger(SeedLoader.class);

  private final Registry registry;

  public SeedLoader(Registry registry) {
    this.registry = registry;
  }

  /**
   * Loads {@code file} when the registry holds no namespace yet (a first start, or one after a
   * refused seed); returns how many instances were registered, or nothing when the registry already
   * held namespaces and the file was not read.
   *
   * @throws SeedException as {@link #load}
   */
  public OptionalInt loadIntoEmpty(Path file) {
    if (!registry.state().namespaces().isEmpty()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(load(file));
  }

  /**
   * Loads {@code file}; returns how many instances were registered.
   *
   * @throws SeedException when the file cannot be read or parsed, or the registry refuses an item;
   *     nothing of the file was applied
   */
  public int load(Path file) {
    String name = file.toString();
    long started = System.nanoTime();
    List<SeedNamespace> namespaces = SeedFile.read(file);
    if (namespaces.isEmpty()) {
      return 0;
    }
    long read = System.nanoTime();
    Registry.DecidedBatch<Integer> decided =
        registry.decideAll(scope -> apply(name, namespaces, scope));
    long checked = System.nanoTime();
    int instances = registry.commit(decided);
    LOG.info(
        "seed {}: read in {} ms, checked in {} ms, applied and stored in {} ms",
        name,
        TimeUnit.NANOSECONDS.toMillis(read - started),
        TimeUnit.NANOSECONDS.toMillis(checked - read),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - checked));
    return instances;
  }

  /** Issues the seed's commands in file order; returns how many instances they register. */
  private int apply(String file, List<SeedNamespace> namespaces, Registry.CommandScope scope) {
    int instances = 0;
    String region = registry.identity().region();
    for (SeedNamespace seedNamespace : namespaces) {
      Operation created =
          attempt(
              file,
              seedNamespace.line(),
              scope,
              new RegistryCommand.CreateNamespace(seedNamespace.spec(), Map.of(), region));
      String namespaceId = created.target(OperationTarget.NAMESPACE);
      for (SeedService seedService : seedNamespace.services()) {
        ServiceSpec spec = seedService.spec();
        ServiceSpec placed =
            new ServiceSpec(
                spec.name(),
                namespaceId,
                spec.description(),
                spec.dnsConfig(),
                spec.healthCheckConfig(),
                spec.healthCheckCustomConfig(),
                spec.creatorRequestId());
        Service service =
            attempt(
                file,
                seedService.line(),
                scope,
                new RegistryCommand.CreateService(placed, Map.of()));
        for (SeedInstance instance : seedService.instances()) {
          attempt(
              file,
              instance.line(),
              scope,
              new RegistryCommand.RegisterInstance(
                  new Registration(service.id(), instance.id(), instance.attributes(), null)));
          instances++;
        }
      }
    }
    return instances;
  }

  private static <T> T attempt(
      String file, int line, Registry.CommandScope scope, RegistryCommand<T> command) {
    try {
      return scope.execute(command);
    } catch (RegistryException e) {
      throw new SeedException(file + ":" + line + ": " + e.getMessage());
    }
  }
}
