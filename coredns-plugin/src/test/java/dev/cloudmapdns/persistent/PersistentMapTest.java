package dev.cloudmapdns.persistent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PersistentMapTest {

  /** A key whose hash the test chooses, to force collisions at every depth. */
  private record Key(String name, int hash) {
    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && key.name.equals(name);
    }
  }

  @Test
  void behavesAsAHashMapUnderRandomChangesIncludingCollidingHashes() {
    Random random = new Random(42);
    Map<Key, Integer> expected = new HashMap<>();
    PersistentMap<Key, Integer> actual = PersistentMap.empty();
    for (int step = 0; step < 20_000; step++) {
      // Few distinct hashes (some equal, some sharing long prefixes) and many keys.
      int hash = random.nextInt(4) == 0 ? random.nextInt(8) << 27 : random.nextInt(3_000);
      Key key = new Key("k" + random.nextInt(5_000), hash);
      Key existing = expected.keySet().stream().filter(k -> k.equals(key)).findFirst().orElse(key);
      if (random.nextInt(3) == 0) {
        expected.remove(existing);
        actual = actual.minus(existing);
      } else {
        Integer value = random.nextInt(1_000);
        expected.put(existing, value);
        actual = actual.plus(existing, value);
      }
      if (step % 1_000 == 0) {
        assertEquals(expected, actual);
        assertEquals(expected.size(), actual.entrySet().stream().count());
      }
    }
    assertEquals(expected, actual);
    for (Key key : expected.keySet()) {
      assertEquals(expected.get(key), actual.get(key));
    }
  }

  /** A key that counts how often it is compared. */
  private record Counted(String name, int hash, int[] comparisons) {
    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      comparisons[0]++;
      return other instanceof Counted key && key.name.equals(name);
    }
  }

  @Test
  void keysOfOtherHashesNeverJoinTheListOfCollidingOnes() {
    int[] comparisons = {0};
    // Two keys of one hash make a list high in the trie; a thousand more share only the five
    // lowest bits of that hash, so they all reach the list's place on their way down.
    PersistentMap<Counted, Integer> map =
        PersistentMap.<Counted, Integer>empty()
            .plus(new Counted("a", 1, comparisons), -1)
            .plus(new Counted("b", 1, comparisons), -2);
    for (int i = 1; i <= 1_000; i++) {
      map = map.plus(new Counted("k" + i, (i << 5) | 1, comparisons), i);
    }

    comparisons[0] = 0;
    assertEquals(500, map.get(new Counted("k500", (500 << 5) | 1, comparisons)));
    assertTrue(comparisons[0] <= 2, "a look-up compared " + comparisons[0] + " keys");
    assertEquals(-1, map.get(new Counted("a", 1, comparisons)));
    assertEquals(-2, map.get(new Counted("b", 1, comparisons)));
    assertNull(map.get(new Counted("c", 1, comparisons)));
    PersistentMap<Counted, Integer> withoutA = map.minus(new Counted("a", 1, comparisons));
    assertEquals(1_001, withoutA.size());
    assertEquals(-2, withoutA.get(new Counted("b", 1, comparisons)));
    assertEquals(1_000, withoutA.get(new Counted("k1000", (1_000 << 5) | 1, comparisons)));
  }

  @Test
  void anUnchangedMapIsTheSameObject() {
    Integer one = 1;
    PersistentMap<String, Integer> map = PersistentMap.<String, Integer>empty().plus("a", one);
    assertSame(map, map.plus("a", one));
    assertSame(map, map.minus("b"));
    assertSame(map, map.minus(null));
  }

  @Test
  void olderVersionsStayAsTheyWere() {
    PersistentMap<String, Integer> older = PersistentMap.<String, Integer>empty().plus("a", 1);
    PersistentMap<String, Integer> newer = older.plus("a", 2).plus("b", 3);
    assertEquals(Map.of("a", 1), older);
    assertEquals(Map.of("a", 2, "b", 3), newer);
  }

  @Test
  void differencesNameEveryAddedChangedAndRemovedKeyAndNothingElse() {
    PersistentMap<String, String> before = PersistentMap.empty();
    for (int i = 0; i < 10_000; i++) {
      before = before.plus("key-" + i, "v" + i);
    }
    PersistentMap<String, String> after =
        before.plus("key-1", "changed").minus("key-2").plus("key-new", "added");

    List<String> seen = new ArrayList<>();
    before.differences(after, (key, was, now) -> seen.add(key + ":" + was + "->" + now));

    seen.sort(null);
    assertEquals(List.of("key-1:v1->changed", "key-2:v2->null", "key-new:null->added"), seen);
  }

  @Test
  void differencesOfCollidingKeysAreFoundToo() {
    PersistentMap<Key, String> before =
        PersistentMap.<Key, String>empty().plus(new Key("a", 7), "1").plus(new Key("b", 7), "2");
    PersistentMap<Key, String> after = before.plus(new Key("c", 7), "3").minus(new Key("a", 7));

    Map<String, String> seen = new HashMap<>();
    before.differences(after, (key, was, now) -> seen.put(key.name(), was + "->" + now));

    assertEquals(Map.of("a", "1->null", "c", "null->3"), seen);
  }

  @Test
  void refusesNullsAndChangesThroughTheMapInterface() {
    PersistentMap<String, String> map = PersistentMap.empty();
    assertThrows(NullPointerException.class, () -> map.plus(null, "v"));
    assertThrows(NullPointerException.class, () -> map.plus("k", null));
    assertThrows(UnsupportedOperationException.class, () -> map.put("k", "v"));
    assertNull(map.get(null));
  }

  @Test
  void aCreationOrderedMapIteratesInTheOrderKeysWereFirstAdded() {
    CreationOrderedMap<String, Integer> map = CreationOrderedMap.empty();
    for (String key : List.of("zeta", "alpha", "mid", "beta")) {
      map = map.plus(key, key.length());
    }
    map = map.plus("alpha", 99).minus("mid").plus("mid", 1);

    assertEquals(List.of("zeta", "alpha", "beta", "mid"), List.copyOf(map.keySet()));
    assertEquals(99, map.get("alpha"));
    assertTrue(map.containsKey("beta"));

    // A version keeps the order it was first iterated in; the versions made from it have their own.
    CreationOrderedMap<String, Integer> later = map.plus("omega", 5).minus("zeta").plus("beta", 7);
    assertEquals(List.of("zeta", "alpha", "beta", "mid"), List.copyOf(map.keySet()));
    assertEquals(List.of("alpha", "beta", "mid", "omega"), List.copyOf(later.keySet()));
    assertEquals(List.of(99, 7, 1, 5), List.copyOf(later.values()));
    assertEquals(List.of(4, 99, 4, 1), List.copyOf(map.values()));
  }
}
