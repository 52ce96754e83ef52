package dev.cloudmapdns.server.dnsview;

import dev.cloudmapdns.dns.zone.CompiledService;
import dev.cloudmapdns.dns.zone.DnsZone;
import dev.cloudmapdns.dns.zone.DnsZoneCompiler;
import dev.cloudmapdns.dns.zone.DnsZoneSet;
import dev.cloudmapdns.dns.zone.DnsZoneSource;
import dev.cloudmapdns.dns.zone.InvalidZoneException;
import dev.cloudmapdns.dns.zone.ServiceDefinition;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.RegistryListener;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.ServiceEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * Keeps the DNS edge's zone set in step with the registry. On every registry state it recompiles
 * only the zones whose namespace or services changed (entries are immutable, so an unchanged entry
 * is the very same object) and swaps the published set in one volatile write.
 *
 * <p>The first state (the whole stored registry, at start-up) is compiled on a thread of its own,
 * so that the servers can start meanwhile; until it is done {@link #zones()} waits for it and
 * {@link #ready()} is false, and later states are applied after it, in order.
 */
public final class DnsProjection implements RegistryListener, DnsZoneSource {
  private static final Logger LOG = LoggerFactory.getLogger(DnsProjection.class);

  /** Runs the first build on a thread of its own, which ends with it. */
  private static final Executor FIRST_BUILD =
      task -> {
        Thread thread = new Thread(task, "dns-zones-first-build");
        thread.setDaemon(true);
        thread.start();
      };

  /** Services to compile at once from which the work is spread over the common pool. */
  private static final int PARALLEL_FROM = 8;

  private final DnsZoneCompiler compiler;
  private final ZoneDefinitions definitions;
  private Map<String, CompiledZone> compiled = Map.of(); // by the applying thread only
  private volatile DnsZoneSet zones = DnsZoneSet.empty();
  private volatile CompletableFuture<Void> first;

  public DnsProjection(DnsZoneCompiler compiler, ZoneDefinitions definitions) {
    this.compiler = compiler;
    this.definitions = definitions;
  }

  @Override
  public DnsZoneSet zones() {
    CompletableFuture<Void> building = first;
    if (building != null && !building.isDone()) {
      building.join();
    }
    return zones;
  }

  /** Whether the zones of the first state are built. */
  public boolean ready() {
    CompletableFuture<Void> building = first;
    return building != null && building.isDone() && !building.isCompletedExceptionally();
  }

  @Override
  public void onChange(RegistryState state) {
    if (first == null) {
      first = CompletableFuture.runAsync(() -> apply(state), FIRST_BUILD);
      first.whenComplete(
          (done, failure) -> {
            if (failure != null) {
              LOG.error("cannot build the DNS zones of the registry", failure);
            }
          });
      return;
    }
    first.join();
    apply(state);
  }

  private void apply(RegistryState state) {
    Map<String, List<ServiceEntry>> servicesByNamespace = new HashMap<>();
    for (ServiceEntry entry : state.services().values()) {
      servicesByNamespace
          .computeIfAbsent(entry.service().namespaceId(), id -> new ArrayList<>())
          .add(entry);
    }
    Map<String, CompiledZone> next = new HashMap<>();
    Map<Name, DnsZone> byApex = new HashMap<>();
    for (Namespace namespace : state.namespaces().values()) {
      if (!namespace.type().isDns()) {
        continue;
      }
      List<ServiceEntry> services = servicesByNamespace.getOrDefault(namespace.id(), List.of());
      CompiledZone zone = compiled.get(namespace.id());
      if (zone == null || !zone.isFor(namespace, services)) {
        zone = compile(namespace, services, state.version(), zone);
      }
      if (zone != null) {
        next.put(namespace.id(), zone);
        byApex.put(zone.zone().apex(), zone.zone());
      }
    }
    compiled = next;
    zones = DnsZoneSet.of(byApex);
  }

  private CompiledZone compile(
      Namespace namespace, List<ServiceEntry> services, long serial, CompiledZone previous) {
    try {
      Name apex = compiler.apex(namespace.name());
      boolean sameApex = previous != null && previous.zone().apex().equals(apex);
      CompiledPart[] parts = new CompiledPart[services.size()];
      List<Integer> changed = new ArrayList<>();
      for (int i = 0; i < parts.length; i++) {
        ServiceEntry entry = services.get(i);
        CompiledPart part = sameApex ? previous.part(entry.service().id()) : null;
        if (part == null || part.entry() != entry) {
          changed.add(i);
        } else {
          parts[i] = part;
        }
      }
      // Services compile independently: many at once (a start-up, a new apex) use every core.
      (changed.size() >= PARALLEL_FROM ? changed.parallelStream() : changed.stream())
          .forEach(i -> parts[i] = compilePart(apex, services.get(i)));
      List<CompiledService> dnsServices = new ArrayList<>(parts.length);
      for (CompiledPart part : parts) {
        if (part.compiled() != null) {
          dnsServices.add(part.compiled());
        }
      }
      DnsZone zone = compiler.assemble(apex, namespace.soaTtl(), serial, dnsServices);
      List<CompiledPart> partList = List.of(parts);
      return new CompiledZone(namespace, partList, byServiceId(partList), zone);
    } catch (InvalidZoneException e) {
      // The registry validates names, so this is a bug; keep serving the last good zone.
      LOG.error("cannot build DNS zone for namespace {}: {}", namespace.id(), e.getMessage());
      return previous;
    }
  }

  private CompiledPart compilePart(Name apex, ServiceEntry entry) {
    ServiceDefinition definition = definitions.service(entry);
    return new CompiledPart(
        entry, definition == null ? null : compiler.compileService(apex, definition));
  }

  private static Map<String, CompiledPart> byServiceId(List<CompiledPart> parts) {
    Map<String, CompiledPart> byId = new HashMap<>(parts.size() * 2);
    for (CompiledPart part : parts) {
      byId.put(part.entry().service().id(), part);
    }
    return byId;
  }

  /** One service entry and what it compiled to (null for a service without DNS records). */
  private record CompiledPart(ServiceEntry entry, CompiledService compiled) {}

  /**
   * A compiled zone and the registry values it was compiled from, one part per service, so that a
   * change recompiles only the services whose entries changed (entries are immutable: an unchanged
   * service is the very same object).
   */
  private record CompiledZone(
      Namespace namespace,
      List<CompiledPart> parts,
      Map<String, CompiledPart> partsByServiceId,
      DnsZone zone) {
    boolean isFor(Namespace currentNamespace, List<ServiceEntry> currentServices) {
      if (namespace != currentNamespace || parts.size() != currentServices.size()) {
        return false;
      }
      for (int i = 0; i < parts.size(); i++) {
        if (parts.get(i).entry() != currentServices.get(i)) {
          return false;
        }
      }
      return true;
    }

    CompiledPart part(String serviceId) {
      return partsByServiceId.get(serviceId);
    }
  }
}
