package dev.cloudmapdns.persistent;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable hash map whose changed copies share structure with it: a hash array mapped trie, 32
 * ways per level. {@link #plus} and {@link #minus} copy one path from the root (at most seven small
 * nodes), so they cost the same in a map of ten entries as in one of a million; {@link
 * #differences} compares two versions by walking only the parts that are not shared.
 *
 * <p>Keys and values are never null. Iteration order follows the keys' hashes: it is stable for a
 * given set of keys, but it is not the order of insertion ({@link CreationOrderedMap} keeps that).
 * The {@link Map} methods that would change the map throw {@link UnsupportedOperationException}.
 *
 * @param <K> keys, with a stable {@code hashCode} and {@code equals}
 * @param <V> values, compared by identity when two versions are diffed
 */
public final class PersistentMap<K, V> extends AbstractMap<K, V> {
  private static final PersistentMap<Object, Object> EMPTY =
      new PersistentMap<>(BitmapNode.EMPTY, 0);

  private final Node root;
  private final int size;

  private PersistentMap(Node root, int size) {
    this.root = root;
    this.size = size;
  }

  @SuppressWarnings("unchecked") // the empty map holds no K or V
  public static <K, V> PersistentMap<K, V> empty() {
    return (PersistentMap<K, V>) EMPTY;
  }

  /** A persistent copy of {@code map}; itself when it already is one. */
  @SuppressWarnings(
      "unchecked") // a PersistentMap<? extends K, ? extends V> only hands out Ks and Vs
  public static <K, V> PersistentMap<K, V> copyOf(Map<? extends K, ? extends V> map) {
    if (map instanceof PersistentMap<?, ?> persistent) {
      return (PersistentMap<K, V>) persistent;
    }
    PersistentMap<K, V> copy = empty();
    for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
      copy = copy.plus(entry.getKey(), entry.getValue());
    }
    return copy;
  }

  /** This map with {@code key} mapped to {@code value}; this very map when it already was. */
  public PersistentMap<K, V> plus(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    boolean[] added = new boolean[1];
    Node next = root.put(key, hash(key), value, 0, added);
    return next == root ? this : new PersistentMap<>(next, added[0] ? size + 1 : size);
  }

  /** This map without {@code key}; this very map when it had no such key. */
  public PersistentMap<K, V> minus(Object key) {
    if (key == null) {
      return this;
    }
    Node next = root.remove(key, hash(key), 0);
    return next == root ? this : new PersistentMap<>(next, size - 1);
  }

  @Override
  @SuppressWarnings("unchecked") // only Vs are ever stored
  public V get(Object key) {
    return key == null ? null : (V) root.find(key, hash(key), 0);
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  @SuppressWarnings("unchecked") // only Ks and Vs are ever stored
  public void forEach(BiConsumer<? super K, ? super V> action) {
    root.forEach((k, v) -> action.accept((K) k, (V) v));
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<K, V>> iterator() {
        return new Entries<>(root);
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  /** Told of one key whose value differs between two versions of a map. */
  @FunctionalInterface
  public interface Difference<K, V> {
    /**
     * @param before the older version's value, null when the key was added
     * @param after the newer version's value, null when the key was removed
     */
    void changed(K key, V before, V after);
  }

  /**
   * Tells {@code visitor} of every key whose value differs between this map and {@code newer}
   * (values compared by identity, as immutable values are shared, not copied). Parts the two
   * versions share are skipped, so the cost follows the differences, not the size.
   */
  @SuppressWarnings("unchecked") // only Ks and Vs are ever stored
  public void differences(PersistentMap<K, V> newer, Difference<? super K, ? super V> visitor) {
    diff(root, newer.root, 0, (k, before, after) -> visitor.changed((K) k, (V) before, (V) after));
  }

  private static int hash(Object key) {
    int h = key.hashCode();
    return h ^ (h >>> 16);
  }

  private static int bit(int hash, int shift) {
    return 1 << ((hash >>> shift) & 31);
  }

  private static void diff(Node a, Node b, int shift, Difference<Object, Object> visitor) {
    if (a == b) {
      return;
    }
    if (a instanceof BitmapNode x && b instanceof BitmapNode y) {
      int all = x.dataMap | x.nodeMap | y.dataMap | y.nodeMap;
      while (all != 0) {
        int bit = Integer.lowestOneBit(all);
        all &= ~bit;
        if ((x.nodeMap & bit) != 0 && (y.nodeMap & bit) != 0) {
          diff(x.nodes[x.nodeIndex(bit)], y.nodes[y.nodeIndex(bit)], shift + 5, visitor);
        } else if ((x.dataMap & bit) != 0 && (y.dataMap & bit) != 0) {
          int i = x.dataIndex(bit);
          int j = y.dataIndex(bit);
          Object ka = x.data[2 * i];
          Object kb = y.data[2 * j];
          if (ka.equals(kb)) {
            if (x.data[2 * i + 1] != y.data[2 * j + 1]) {
              visitor.changed(ka, x.data[2 * i + 1], y.data[2 * j + 1]);
            }
          } else {
            visitor.changed(ka, x.data[2 * i + 1], null);
            visitor.changed(kb, null, y.data[2 * j + 1]);
          }
        } else {
          compare(x.slot(bit), y.slot(bit), visitor);
        }
      }
    } else {
      compare(a, b, visitor);
    }
  }

  /** The slow way, for the rare places where one version has a single entry and the other more. */
  private static void compare(Node a, Node b, Difference<Object, Object> visitor) {
    Map<Object, Object> before = new HashMap<>();
    if (a != null) {
      a.forEach(before::put);
    }
    if (b != null) {
      b.forEach(
          (k, v) -> {
            Object old = before.remove(k);
            if (old != v) {
              visitor.changed(k, old, v);
            }
          });
    }
    before.forEach((k, v) -> visitor.changed(k, v, null));
  }

  private abstract static class Node {
    abstract Object find(Object key, int hash, int shift);

    abstract Node put(Object key, int hash, Object value, int shift, boolean[] added);

    abstract Node remove(Object key, int hash, int shift);

    abstract void forEach(BiConsumer<Object, Object> action);

    /** Whether the node holds exactly one entry, which its parent then holds inline. */
    abstract boolean single();

    abstract Object singleKey();

    abstract Object singleValue();
  }

  /** Entries and sub-nodes by five bits of the hash: data pairs first, sub-nodes apart. */
  private static final class BitmapNode extends Node {
    static final BitmapNode EMPTY = new BitmapNode(0, 0, new Object[0], new Node[0]);

    final int dataMap;
    final int nodeMap;
    final Object[] data; // key, value, key, value, ... in bit order
    final Node[] nodes; // in bit order

    BitmapNode(int dataMap, int nodeMap, Object[] data, Node[] nodes) {
      this.dataMap = dataMap;
      this.nodeMap = nodeMap;
      this.data = data;
      this.nodes = nodes;
    }

    int dataIndex(int bit) {
      return Integer.bitCount(dataMap & (bit - 1));
    }

    int nodeIndex(int bit) {
      return Integer.bitCount(nodeMap & (bit - 1));
    }

    /** The slot for {@code bit} as a node: a sub-node, a one-entry node, or null. */
    Node slot(int bit) {
      if ((nodeMap & bit) != 0) {
        return nodes[nodeIndex(bit)];
      }
      if ((dataMap & bit) != 0) {
        int i = dataIndex(bit);
        return new BitmapNode(bit, 0, new Object[] {data[2 * i], data[2 * i + 1]}, new Node[0]);
      }
      return null;
    }

    @Override
    Object find(Object key, int hash, int shift) {
      int bit = bit(hash, shift);
      if ((dataMap & bit) != 0) {
        int i = dataIndex(bit);
        return data[2 * i].equals(key) ? data[2 * i + 1] : null;
      }
      if ((nodeMap & bit) != 0) {
        return nodes[nodeIndex(bit)].find(key, hash, shift + 5);
      }
      return null;
    }

    @Override
    Node put(Object key, int hash, Object value, int shift, boolean[] added) {
      int bit = bit(hash, shift);
      if ((dataMap & bit) != 0) {
        int i = dataIndex(bit);
        Object existing = data[2 * i];
        if (existing.equals(key)) {
          if (data[2 * i + 1] == value) {
            return this;
          }
          Object[] next = data.clone();
          next[2 * i + 1] = value;
          return new BitmapNode(dataMap, nodeMap, next, nodes);
        }
        added[0] = true;
        Node sub = pair(existing, hash(existing), data[2 * i + 1], key, hash, value, shift + 5);
        return new BitmapNode(
            dataMap ^ bit,
            nodeMap | bit,
            withoutPair(data, i),
            inserted(nodes, nodeIndex(bit), sub));
      }
      if ((nodeMap & bit) != 0) {
        int n = nodeIndex(bit);
        Node sub = nodes[n];
        Node next = sub.put(key, hash, value, shift + 5, added);
        if (next == sub) {
          return this;
        }
        Node[] copy = nodes.clone();
        copy[n] = next;
        return new BitmapNode(dataMap, nodeMap, data, copy);
      }
      added[0] = true;
      return new BitmapNode(
          dataMap | bit, nodeMap, withPair(data, dataIndex(bit), key, value), nodes);
    }

    @Override
    Node remove(Object key, int hash, int shift) {
      int bit = bit(hash, shift);
      if ((dataMap & bit) != 0) {
        int i = dataIndex(bit);
        if (!data[2 * i].equals(key)) {
          return this;
        }
        return new BitmapNode(dataMap ^ bit, nodeMap, withoutPair(data, i), nodes);
      }
      if ((nodeMap & bit) != 0) {
        int n = nodeIndex(bit);
        Node sub = nodes[n];
        Node next = sub.remove(key, hash, shift + 5);
        if (next == sub) {
          return this;
        }
        if (next.single()) {
          // Keep the trie compact: a sub-node of one entry becomes an entry of this node.
          return new BitmapNode(
              dataMap | bit,
              nodeMap ^ bit,
              withPair(data, dataIndex(bit), next.singleKey(), next.singleValue()),
              withoutNode(nodes, n));
        }
        Node[] copy = nodes.clone();
        copy[n] = next;
        return new BitmapNode(dataMap, nodeMap, data, copy);
      }
      return this;
    }

    @Override
    void forEach(BiConsumer<Object, Object> action) {
      for (int i = 0; i < data.length; i += 2) {
        action.accept(data[i], data[i + 1]);
      }
      for (Node node : nodes) {
        node.forEach(action);
      }
    }

    @Override
    boolean single() {
      return nodeMap == 0 && data.length == 2;
    }

    @Override
    Object singleKey() {
      return data[0];
    }

    @Override
    Object singleValue() {
      return data[1];
    }
  }

  /**
   * Keys whose 32-bit hashes are equal: a plain list. It sits where its keys' path first met, which
   * may be above the last level, so a key of another hash that reaches it splits it off into a
   * bitmap node instead of joining the list (else the list would gather every key sharing a prefix
   * of the hash, and look-ups would turn linear).
   */
  private static final class CollisionNode extends Node {
    final int hash;
    final Object[] data; // key, value, ...

    CollisionNode(int hash, Object[] data) {
      this.hash = hash;
      this.data = data;
    }

    private int indexOf(Object key) {
      for (int i = 0; i < data.length; i += 2) {
        if (data[i].equals(key)) {
          return i;
        }
      }
      return -1;
    }

    @Override
    Object find(Object key, int hash, int shift) {
      if (hash != this.hash) {
        return null;
      }
      int i = indexOf(key);
      return i < 0 ? null : data[i + 1];
    }

    @Override
    Node put(Object key, int hash, Object value, int shift, boolean[] added) {
      if (hash != this.hash) {
        added[0] = true;
        return split(this, key, hash, value, shift);
      }
      int i = indexOf(key);
      if (i >= 0) {
        if (data[i + 1] == value) {
          return this;
        }
        Object[] next = data.clone();
        next[i + 1] = value;
        return new CollisionNode(hash, next);
      }
      added[0] = true;
      return new CollisionNode(hash, withPair(data, data.length / 2, key, value));
    }

    @Override
    Node remove(Object key, int hash, int shift) {
      int i = hash == this.hash ? indexOf(key) : -1;
      return i < 0 ? this : new CollisionNode(hash, withoutPair(data, i / 2));
    }

    @Override
    void forEach(BiConsumer<Object, Object> action) {
      for (int i = 0; i < data.length; i += 2) {
        action.accept(data[i], data[i + 1]);
      }
    }

    @Override
    boolean single() {
      return data.length == 2;
    }

    @Override
    Object singleKey() {
      return data[0];
    }

    @Override
    Object singleValue() {
      return data[1];
    }
  }

  private static Node pair(Object k1, int h1, Object v1, Object k2, int h2, Object v2, int shift) {
    if (h1 == h2) {
      return new CollisionNode(h1, new Object[] {k1, v1, k2, v2});
    }
    // The hashes differ, so some five-bit group at a shift of 30 or less tells them apart.
    int b1 = bit(h1, shift);
    int b2 = bit(h2, shift);
    if (b1 == b2) {
      return new BitmapNode(
          0, b1, new Object[0], new Node[] {pair(k1, h1, v1, k2, h2, v2, shift + 5)});
    }
    Object[] data =
        Integer.compareUnsigned(b1, b2) < 0
            ? new Object[] {k1, v1, k2, v2}
            : new Object[] {k2, v2, k1, v1};
    return new BitmapNode(b1 | b2, 0, data, new Node[0]);
  }

  /**
   * A node at {@code shift} holding {@code collisions} and the entry of a key with another hash:
   * they share the hash bits below {@code shift} (the path that led here), and some five-bit group
   * at a shift of 30 or less tells them apart.
   */
  private static Node split(
      CollisionNode collisions, Object key, int hash, Object value, int shift) {
    int below = bit(collisions.hash, shift);
    int entry = bit(hash, shift);
    if (below == entry) {
      return new BitmapNode(
          0, below, new Object[0], new Node[] {split(collisions, key, hash, value, shift + 5)});
    }
    return new BitmapNode(entry, below, new Object[] {key, value}, new Node[] {collisions});
  }

  private static Object[] withPair(Object[] data, int pairIndex, Object key, Object value) {
    Object[] next = new Object[data.length + 2];
    System.arraycopy(data, 0, next, 0, 2 * pairIndex);
    next[2 * pairIndex] = key;
    next[2 * pairIndex + 1] = value;
    System.arraycopy(data, 2 * pairIndex, next, 2 * pairIndex + 2, data.length - 2 * pairIndex);
    return next;
  }

  private static Object[] withoutPair(Object[] data, int pairIndex) {
    Object[] next = new Object[data.length - 2];
    System.arraycopy(data, 0, next, 0, 2 * pairIndex);
    System.arraycopy(data, 2 * pairIndex + 2, next, 2 * pairIndex, next.length - 2 * pairIndex);
    return next;
  }

  private static Node[] inserted(Node[] nodes, int index, Node node) {
    Node[] next = new Node[nodes.length + 1];
    System.arraycopy(nodes, 0, next, 0, index);
    next[index] = node;
    System.arraycopy(nodes, index, next, index + 1, nodes.length - index);
    return next;
  }

  private static Node[] withoutNode(Node[] nodes, int index) {
    Node[] next = new Node[nodes.length - 1];
    System.arraycopy(nodes, 0, next, 0, index);
    System.arraycopy(nodes, index + 1, next, index, next.length - index);
    return next;
  }

  /** Walks the trie depth first with an explicit stack. */
  private static final class Entries<K, V> implements Iterator<Map.Entry<K, V>> {
    private final List<Node> stack = new ArrayList<>();
    private final List<Integer> positions = new ArrayList<>();
    private Object[] current = new Object[0];
    private int at;

    Entries(Node root) {
      push(root);
    }

    private void push(Node node) {
      stack.add(node);
      positions.add(0);
      current = node instanceof BitmapNode bitmap ? bitmap.data : ((CollisionNode) node).data;
      at = 0;
    }

    private boolean advance() {
      while (at >= current.length) {
        if (stack.isEmpty()) {
          return false;
        }
        int top = stack.size() - 1;
        Node node = stack.get(top);
        Node[] children = node instanceof BitmapNode bitmap ? bitmap.nodes : new Node[0];
        int next = positions.get(top);
        if (next < children.length) {
          positions.set(top, next + 1);
          push(children[next]);
        } else {
          stack.remove(top);
          positions.remove(top);
          current = new Object[0];
          at = 0;
        }
      }
      return true;
    }

    @Override
    public boolean hasNext() {
      return advance();
    }

    @Override
    @SuppressWarnings("unchecked") // only Ks and Vs are ever stored
    public Map.Entry<K, V> next() {
      if (!advance()) {
        throw new NoSuchElementException();
      }
      Map.Entry<K, V> entry = new SimpleImmutableEntry<>((K) current[at], (V) current[at + 1]);
      at += 2;
      return entry;
    }
  }
}
