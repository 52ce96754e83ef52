package dev.cloudmapdns.server.dnsview;

import dev.cloudmapdns.dns.zone.DnsZone;
import dev.cloudmapdns.dns.zone.DnsZoneCompiler;
import dev.cloudmapdns.dns.zone.DnsZoneSet;
import dev.cloudmapdns.dns.zone.DnsZoneSource;
import dev.cloudmapdns.dns.zone.InvalidZoneException;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.RegistryListener;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.ServiceEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * Keeps the DNS edge's zone set in step with the registry. On every registry state it recompiles
 * only the zones whose namespace or services changed (entries are immutable, so an unchanged entry
 * is the very same object) and swaps the published set in one volatile write.
 */
public final class DnsProjection implements RegistryListener, DnsZoneSource {
  private static final Logger LOG = LoggerFactory.getLogger(DnsProjection.class);

  private final DnsZoneCompiler compiler;
  private final ZoneDefinitions definitions;
  private Map<String, CompiledZone> compiled = Map.of();
  private volatile DnsZoneSet zones = DnsZoneSet.empty();

  public DnsProjection(DnsZoneCompiler compiler, ZoneDefinitions definitions) {
    this.compiler = compiler;
    this.definitions = definitions;
  }

  @Override
  public DnsZoneSet zones() {
    return zones;
  }

  @Override
  public void onChange(RegistryState state) {
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
      DnsZone zone = compiler.compile(definitions.of(namespace, services, serial));
      return new CompiledZone(namespace, services, zone);
    } catch (InvalidZoneException e) {
      // The registry validates names, so this is a bug; keep serving the last good zone.
      LOG.error("cannot build DNS zone for namespace {}: {}", namespace.id(), e.getMessage());
      return previous;
    }
  }

  /** A compiled zone and the registry values it was compiled from. */
  private record CompiledZone(Namespace namespace, List<ServiceEntry> services, DnsZone zone) {
    boolean isFor(Namespace currentNamespace, List<ServiceEntry> currentServices) {
      if (namespace != currentNamespace || services.size() != currentServices.size()) {
        return false;
      }
      for (int i = 0; i < services.size(); i++) {
        if (services.get(i) != currentServices.get(i)) {
          return false;
        }
      }
      return true;
    }
  }
}
