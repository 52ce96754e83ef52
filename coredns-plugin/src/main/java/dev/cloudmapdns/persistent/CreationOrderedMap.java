package dev.cloudmapdns.persistent;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link PersistentMap} that iterates in the order its keys were first added (replacing a value
 * keeps the key's place), as listings of registry resources want. Look-ups and changes cost what
 * they cost in a {@link PersistentMap}; the first full iteration of a version sorts, {@code O(n log
 * n)}, and later ones reuse its order: meant for listings, start-up and a changed service's
 * instances, while per-change work across many entries uses {@link #differences}.
 *
 * @param <K> keys
 * @param <V> values, compared by identity when two versions are diffed
 */
public final class CreationOrderedMap<K, V> extends AbstractMap<K, V> {
  private static final CreationOrderedMap<Object, Object> EMPTY =
      new CreationOrderedMap<>(PersistentMap.empty(), 0);

  private final PersistentMap<K, Slot<V>> slots;
  private final long nextOrder;

  /**
   * The entries in creation order, sorted on the first iteration and kept: the map never changes,
   * and one version is often iterated by several readers in turn (the DNS projection, the watch,
   * the health workers each walk a changed service's instances). A race builds it twice, no harm.
   */
  private volatile List<Map.Entry<K, V>> ordered;

  private CreationOrderedMap(PersistentMap<K, Slot<V>> slots, long nextOrder) {
    this.slots = slots;
    this.nextOrder = nextOrder;
  }

  @SuppressWarnings("unchecked") // the empty map holds no K or V
  public static <K, V> CreationOrderedMap<K, V> empty() {
    return (CreationOrderedMap<K, V>) EMPTY;
  }

  /** A copy of {@code map} in its iteration order; itself when it already is one. */
  @SuppressWarnings(
      "unchecked") // a CreationOrderedMap<? extends K, ? extends V> only hands out Ks and Vs
  public static <K, V> CreationOrderedMap<K, V> copyOf(Map<? extends K, ? extends V> map) {
    if (map instanceof CreationOrderedMap<?, ?> ordered) {
      return (CreationOrderedMap<K, V>) ordered;
    }
    CreationOrderedMap<K, V> copy = empty();
    for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
      copy = copy.plus(entry.getKey(), entry.getValue());
    }
    return copy;
  }

  /** This map with {@code key} mapped to {@code value}; a new key goes last. */
  public CreationOrderedMap<K, V> plus(K key, V value) {
    Slot<V> existing = slots.get(key);
    if (existing != null) {
      return existing.value() == value
          ? this
          : new CreationOrderedMap<>(
              slots.plus(key, new Slot<>(existing.order(), value)), nextOrder);
    }
    return new CreationOrderedMap<>(slots.plus(key, new Slot<>(nextOrder, value)), nextOrder + 1);
  }

  public CreationOrderedMap<K, V> minus(Object key) {
    PersistentMap<K, Slot<V>> next = slots.minus(key);
    return next == slots ? this : new CreationOrderedMap<>(next, nextOrder);
  }

  @Override
  public V get(Object key) {
    Slot<V> slot = slots.get(key);
    return slot == null ? null : slot.value();
  }

  @Override
  public boolean containsKey(Object key) {
    return slots.containsKey(key);
  }

  @Override
  public int size() {
    return slots.size();
  }

  @Override
  public boolean isEmpty() {
    return slots.isEmpty();
  }

  /**
   * Tells {@code visitor} of every key whose value differs between this map and {@code newer}, at a
   * cost that follows the differences (see {@link PersistentMap#differences}).
   */
  public void differences(
      CreationOrderedMap<K, V> newer, PersistentMap.Difference<? super K, ? super V> visitor) {
    slots.differences(
        newer.slots,
        (key, before, after) ->
            visitor.changed(
                key, before == null ? null : before.value(), after == null ? null : after.value()));
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<K, V>> iterator() {
        return ordered().iterator();
      }

      @Override
      public int size() {
        return slots.size();
      }
    };
  }

  private List<Map.Entry<K, V>> ordered() {
    List<Map.Entry<K, V>> entries = ordered;
    if (entries == null) {
      List<Map.Entry<K, Slot<V>>> bySlot = new ArrayList<>(slots.size());
      slots.forEach((key, slot) -> bySlot.add(new SimpleImmutableEntry<>(key, slot)));
      bySlot.sort(Comparator.comparingLong(entry -> entry.getValue().order()));
      List<Map.Entry<K, V>> sorted = new ArrayList<>(bySlot.size());
      for (Map.Entry<K, Slot<V>> entry : bySlot) {
        sorted.add(new SimpleImmutableEntry<>(entry.getKey(), entry.getValue().value()));
      }
      entries = Collections.unmodifiableList(sorted);
      ordered = entries;
    }
    return entries;
  }

  private record Slot<V>(long order, V value) {}
}
