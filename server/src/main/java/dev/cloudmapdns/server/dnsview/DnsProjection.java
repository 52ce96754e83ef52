package dev.cloudmapdns.server.dnsview;

import dev.cloudmapdns.dns.zone.CompiledService;
import dev.cloudmapdns.dns.zone.DnsZone;
import dev.cloudmapdns.dns.zone.DnsZoneCompiler;
import dev.cloudmapdns.dns.zone.DnsZoneSet;
import dev.cloudmapdns.dns.zone.DnsZoneSource;
import dev.cloudmapdns.dns.zone.InvalidZoneException;
import dev.cloudmapdns.dns.zone.ServiceDefinition;
import dev.cloudmapdns.dns.zone.ZoneContent;
import dev.cloudmapdns.persistent.PersistentMap;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.RegistryListener;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.ServiceEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * Keeps the DNS edge's zone set in step with the registry, at a cost that follows the change: on
 * every registry state it asks the state what differs from the one before ({@link
 * RegistryState#serviceDifferences}, which skips everything the two share), recompiles only the
 * services whose entries changed, replaces their names in their zone's persistent {@link
 * ZoneContent}, and swaps the published set in one volatile write. A state whose namespaces and
 * services are the very ones of the state before (a change of tags, service attributes or
 * operations only) does not touch DNS at all.
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
  // By the applying thread only:
  private RegistryState seen;
  private Map<String, ZoneBuild> builds = Map.of(); // by namespace id
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
    RegistryState before = seen;
    seen = state;
    if (before != null
        && before.namespaces() == state.namespaces()
        && before.services() == state.services()) {
      return; // tags, service attributes or operations: nothing DNS shows
    }
    Map<String, ZoneBuild> next = new HashMap<>();
    List<Namespace> rebuilt = new ArrayList<>();
    for (Namespace namespace : state.namespaces().values()) {
      if (!namespace.type().isDns()) {
        continue;
      }
      ZoneBuild build = builds.get(namespace.id());
      if (build == null || before == null) {
        rebuilt.add(namespace);
      } else {
        next.put(namespace.id(), build.namespace() == namespace ? build : build.with(namespace));
      }
    }
    Map<String, ZoneBuild> changed = new LinkedHashMap<>();
    if (before != null) {
      applyServiceChanges(before, state, next, changed);
    }
    for (Namespace namespace : rebuilt) {
      ZoneBuild build = build(namespace, state.servicesIn(namespace.id()));
      if (build != null) {
        next.put(namespace.id(), build);
        changed.put(namespace.id(), build);
      }
    }
    for (Map.Entry<String, ZoneBuild> build : next.entrySet()) {
      if (changed.containsKey(build.getKey()) || build.getValue() != builds.get(build.getKey())) {
        build.setValue(build.getValue().assembled(compiler, state.version()));
      }
    }
    builds = next;
    Map<Name, DnsZone> byApex = new HashMap<>();
    for (ZoneBuild build : next.values()) {
      byApex.put(build.zone().apex(), build.zone());
    }
    zones = DnsZoneSet.of(byApex);
  }

  /** Recompiles the services that differ between the two states into their zones' builds. */
  private void applyServiceChanges(
      RegistryState before,
      RegistryState state,
      Map<String, ZoneBuild> builds,
      Map<String, ZoneBuild> changed) {
    List<ServiceEntry> compile = new ArrayList<>();
    List<ServiceEntry> removed = new ArrayList<>();
    before.serviceDifferences(
        state,
        (id, was, now) -> {
          if (now == null) {
            removed.add(was);
          } else {
            compile.add(now);
          }
        });
    for (ServiceEntry gone : removed) {
      ZoneBuild build = builds.get(gone.service().namespaceId());
      if (build != null) {
        ZoneBuild without = build.without(gone.service().id());
        builds.put(gone.service().namespaceId(), without);
        changed.put(gone.service().namespaceId(), without);
      }
    }
    List<ServiceEntry> inDnsZones = new ArrayList<>(compile.size());
    for (ServiceEntry entry : compile) {
      if (builds.containsKey(entry.service().namespaceId())) {
        inDnsZones.add(entry);
      }
    }
    CompiledPart[] parts = new CompiledPart[inDnsZones.size()];
    // Services compile independently: many at once (a batch, a seed) use every core.
    java.util.stream.IntStream range = java.util.stream.IntStream.range(0, parts.length);
    (parts.length >= PARALLEL_FROM ? range.parallel() : range)
        .forEach(
            i -> {
              ServiceEntry entry = inDnsZones.get(i);
              parts[i] = compilePart(builds.get(entry.service().namespaceId()).apex(), entry);
            });
    for (CompiledPart part : parts) {
      if (part != null) {
        String namespaceId = part.entry().service().namespaceId();
        ZoneBuild build = builds.get(namespaceId).with(part);
        builds.put(namespaceId, build);
        changed.put(namespaceId, build);
      }
    }
  }

  /** A namespace's zone from scratch, or null when its name is not a valid DNS name. */
  private ZoneBuild build(Namespace namespace, List<ServiceEntry> services) {
    Name apex;
    try {
      apex = compiler.apex(namespace.name());
    } catch (InvalidZoneException e) {
      LOG.error("cannot build DNS zone for namespace {}: {}", namespace.id(), e.getMessage());
      return null;
    }
    CompiledPart[] parts = new CompiledPart[services.size()];
    java.util.stream.IntStream range = java.util.stream.IntStream.range(0, parts.length);
    (parts.length >= PARALLEL_FROM ? range.parallel() : range)
        .forEach(i -> parts[i] = compilePart(apex, services.get(i)));
    ZoneBuild build =
        new ZoneBuild(namespace, apex, PersistentMap.empty(), ZoneContent.empty(apex), null);
    for (CompiledPart part : parts) {
      if (part != null) {
        build = build.with(part);
      }
    }
    return build;
  }

  /** The service compiled for its zone; null when it cannot be (then its last good part stays). */
  private CompiledPart compilePart(Name apex, ServiceEntry entry) {
    try {
      ServiceDefinition definition = definitions.service(entry);
      return new CompiledPart(
          entry, definition == null ? null : compiler.compileService(apex, definition));
    } catch (InvalidZoneException e) {
      // The registry validates names, so this is a bug; keep serving the last good part.
      LOG.error(
          "cannot compile DNS records of service {}: {}", entry.service().id(), e.getMessage());
      return null;
    }
  }

  /** One service entry and what it compiled to (null for a service without DNS records). */
  private record CompiledPart(ServiceEntry entry, CompiledService compiled) {}

  /**
   * One namespace's zone as it is being kept: its compiled services by id, the zone's names ({@link
   * ZoneContent}, persistent) and the zone last assembled from them.
   */
  private record ZoneBuild(
      Namespace namespace,
      Name apex,
      PersistentMap<String, CompiledPart> parts,
      ZoneContent content,
      DnsZone zone) {

    ZoneBuild with(Namespace changed) {
      return new ZoneBuild(changed, apex, parts, content, zone);
    }

    ZoneBuild with(CompiledPart part) {
      String id = part.entry().service().id();
      CompiledPart previous = parts.get(id);
      return new ZoneBuild(
          namespace,
          apex,
          parts.plus(id, part),
          content.replace(previous == null ? null : previous.compiled(), part.compiled()),
          zone);
    }

    ZoneBuild without(String serviceId) {
      CompiledPart previous = parts.get(serviceId);
      if (previous == null) {
        return this;
      }
      return new ZoneBuild(
          namespace,
          apex,
          parts.minus(serviceId),
          content.replace(previous.compiled(), null),
          zone);
    }

    ZoneBuild assembled(DnsZoneCompiler compiler, long serial) {
      return new ZoneBuild(
          namespace, apex, parts, content, compiler.assemble(namespace.soaTtl(), serial, content));
    }
  }
}
