package dev.cloudmapdns.dns.zone;

import dev.cloudmapdns.persistent.PersistentMap;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * The names of one zone below its apex, kept up to date service by service: which compiled services
 * claim each name, and how many names lie under each of their ancestors (so that the empty
 * non-terminals are known without walking the zone). Immutable and persistent: {@link #replace}
 * touches only the names of the service that changed, so a change costs the same in a zone of
 * 100,000 names as in one of ten.
 *
 * <p>When two services claim the same name (an instance host name that happens to equal another
 * service's name), the service's own name wins over a host name, then the earlier claim.
 */
public final class ZoneContent {
  private final Name apex;
  private final PersistentMap<Name, Claims> names;

  /** For every name strictly between a claimed name and the apex: how many claimed names below. */
  private final PersistentMap<Name, Integer> below;

  private ZoneContent(
      Name apex, PersistentMap<Name, Claims> names, PersistentMap<Name, Integer> below) {
    this.apex = apex;
    this.names = names;
    this.below = below;
  }

  public static ZoneContent empty(Name apex) {
    return new ZoneContent(apex, PersistentMap.empty(), PersistentMap.empty());
  }

  /** The content with {@code services} added, in order. */
  public static ZoneContent of(Name apex, List<CompiledService> services) {
    ZoneContent content = empty(apex);
    for (CompiledService service : services) {
      content = content.replace(null, service);
    }
    return content;
  }

  public Name apex() {
    return apex;
  }

  /**
   * This content with the names of {@code before} (a compiled service, or null) replaced by those
   * of {@code after} (its new compilation, or null when the service is gone).
   */
  public ZoneContent replace(CompiledService before, CompiledService after) {
    PersistentMap<Name, Claims> nextNames = names;
    PersistentMap<Name, Integer> nextBelow = below;
    if (before != null) {
      for (Map.Entry<Name, DnsNode> name : namesOf(before)) {
        Claims claims = nextNames.get(name.getKey());
        Claims rest = claims == null ? null : claims.without(before);
        if (rest == claims) {
          continue;
        }
        if (rest == null) {
          nextNames = nextNames.minus(name.getKey());
          nextBelow = counted(nextBelow, name.getKey(), -1);
        } else {
          nextNames = nextNames.plus(name.getKey(), rest);
        }
      }
    }
    if (after != null) {
      for (Map.Entry<Name, DnsNode> name : namesOf(after)) {
        Claim claim = new Claim(after, name.getKey().equals(after.name()), name.getValue());
        Claims claims = nextNames.get(name.getKey());
        if (claims == null) {
          nextNames = nextNames.plus(name.getKey(), new Claims(List.of(claim)));
          nextBelow = counted(nextBelow, name.getKey(), +1);
        } else {
          nextNames = nextNames.plus(name.getKey(), claims.with(claim));
        }
      }
    }
    return new ZoneContent(apex, nextNames, nextBelow);
  }

  private static List<Map.Entry<Name, DnsNode>> namesOf(CompiledService service) {
    List<Map.Entry<Name, DnsNode>> all = new ArrayList<>(service.hosts().size() + 1);
    all.add(Map.entry(service.name(), service.node()));
    all.addAll(service.hosts().entrySet());
    return all;
  }

  /** Adds {@code delta} to the count of every name between {@code name} and the apex. */
  private PersistentMap<Name, Integer> counted(
      PersistentMap<Name, Integer> counts, Name name, int delta) {
    for (Name parent = parentOf(name);
        parent != null && !parent.equals(apex) && parent.subdomain(apex);
        parent = parentOf(parent)) {
      int count = counts.getOrDefault(parent, 0) + delta;
      counts = count == 0 ? counts.minus(parent) : counts.plus(parent, count);
    }
    return counts;
  }

  private static Name parentOf(Name name) {
    return name.labels() <= 1 ? null : new Name(name, 1);
  }

  /** Every claimed name and the node that answers for it: a read-only view, nothing copied. */
  public Map<Name, DnsNode> nodes() {
    return new Nodes();
  }

  /** The names under which claimed names lie but that claim nothing themselves: a view. */
  public Set<Name> emptyNonTerminals() {
    return new EmptyNonTerminals();
  }

  /** One service's claim on a name. */
  private record Claim(CompiledService owner, boolean serviceName, DnsNode node) {}

  /** The claims on one name, in claim order; never empty. */
  private record Claims(List<Claim> claims) {
    Claims with(Claim claim) {
      List<Claim> next = new ArrayList<>(claims.size() + 1);
      next.addAll(claims);
      next.add(claim);
      return new Claims(List.copyOf(next));
    }

    /** These claims without {@code owner}'s; null when none is left, this when it had none. */
    Claims without(CompiledService owner) {
      List<Claim> next = new ArrayList<>(claims.size());
      for (Claim claim : claims) {
        if (claim.owner() != owner) {
          next.add(claim);
        }
      }
      if (next.size() == claims.size()) {
        return this;
      }
      return next.isEmpty() ? null : new Claims(List.copyOf(next));
    }

    DnsNode winner() {
      for (Claim claim : claims) {
        if (claim.serviceName()) {
          return claim.node();
        }
      }
      return claims.get(0).node();
    }
  }

  /** Marks the views {@link DnsZone} keeps as they are instead of copying. */
  interface View {}

  private final class Nodes extends AbstractMap<Name, DnsNode> implements View {
    @Override
    public DnsNode get(Object key) {
      Claims claims = names.get(key);
      return claims == null ? null : claims.winner();
    }

    @Override
    public boolean containsKey(Object key) {
      return names.containsKey(key);
    }

    @Override
    public int size() {
      return names.size();
    }

    @Override
    public Set<Map.Entry<Name, DnsNode>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<Name, DnsNode>> iterator() {
          Iterator<Map.Entry<Name, Claims>> inner = names.entrySet().iterator();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return inner.hasNext();
            }

            @Override
            public Map.Entry<Name, DnsNode> next() {
              Map.Entry<Name, Claims> entry = inner.next();
              return Map.entry(entry.getKey(), entry.getValue().winner());
            }
          };
        }

        @Override
        public int size() {
          return names.size();
        }
      };
    }
  }

  private final class EmptyNonTerminals extends AbstractSet<Name> implements View {
    @Override
    public boolean contains(Object name) {
      return below.containsKey(name) && !names.containsKey(name);
    }

    @Override
    public Iterator<Name> iterator() {
      return below.keySet().stream().filter(name -> !names.containsKey(name)).iterator();
    }

    @Override
    public int size() {
      return (int) below.keySet().stream().filter(name -> !names.containsKey(name)).count();
    }
  }
}
