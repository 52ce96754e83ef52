package dev.cloudmapdns.persistent;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link PersistentMap} that iterates in the order its keys were first added (replacing a value
 * keeps the key's place), as listings of registry resources want. Look-ups and changes cost what
 * they cost in a {@link PersistentMap}; a full iteration sorts, so it is {@code O(n log n)}: meant
 * for listings and start-up, while per-change work uses {@link #differences}.
 *
 * @param <K> keys
 * @param <V> values, compared by identity when two versions are diffed
 */
public final class CreationOrderedMap<K, V> extends AbstractMap<K, V> {
  private static final CreationOrderedMap<Object, Object> EMPTY =
      new CreationOrderedMap<>(PersistentMap.empty(), 0);

  private final PersistentMap<K, Slot<V>> slots;
  private final long nextOrder;

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
        List<Map.Entry<K, Slot<V>>> ordered = new ArrayList<>(slots.size());
        slots.forEach((key, slot) -> ordered.add(new SimpleImmutableEntry<>(key, slot)));
        ordered.sort(Comparator.comparingLong(entry -> entry.getValue().order()));
        Iterator<Map.Entry<K, Slot<V>>> inner = ordered.iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return inner.hasNext();
          }

          @Override
          public Map.Entry<K, V> next() {
            Map.Entry<K, Slot<V>> entry = inner.next();
            return new SimpleImmutableEntry<>(entry.getKey(), entry.getValue().value());
          }
        };
      }

      @Override
      public int size() {
        return slots.size();
      }
    };
  }

  private record Slot<V>(long order, V value) {}
}
