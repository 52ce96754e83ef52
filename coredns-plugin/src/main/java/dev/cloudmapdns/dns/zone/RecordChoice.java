package dev.cloudmapdns.dns.zone;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The answerable values of one name and type, and how many of them one answer carries. Choosing
 * happens per query so that clients spread over the instances.
 */
public record RecordChoice(List<Candidate> candidates, int limit) {
  public RecordChoice {
    candidates = List.copyOf(candidates);
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
  }

  public boolean isEmpty() {
    return candidates.isEmpty();
  }

  /**
   * Up to {@code limit} distinct candidates in random order: a partial Fisher-Yates shuffle over
   * the candidates' positions that records only the positions it has swapped, so choosing 8 of
   * 1,000 costs 8 steps and two arrays of 8, not an array of 1,000.
   */
  public List<Candidate> choose(RandomGenerator random) {
    int n = candidates.size();
    if (n <= 1) {
      return candidates;
    }
    int[] positions = positions(random);
    Candidate[] chosen = new Candidate[positions.length];
    for (int i = 0; i < positions.length; i++) {
      chosen[i] = candidates.get(positions[i]);
    }
    return Arrays.asList(chosen);
  }

  /**
   * The positions in {@link #candidates} of what {@link #choose} chooses with the same random
   * numbers, in the same order (for a set of more than one; a single candidate needs no choice). It
   * draws {@code nextInt(n)}, {@code nextInt(n - 1)}, ... once per chosen candidate.
   */
  public int[] positions(RandomGenerator random) {
    int n = candidates.size();
    int k = Math.min(limit, n);
    // Position swappedAt[s] now holds candidate swappedValue[s]; every other position p holds p.
    int[] swappedAt = new int[k];
    int[] swappedValue = new int[k];
    int swaps = 0;
    int[] chosen = new int[k];
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(n - i);
      int picked = j;
      int slot = -1;
      for (int s = 0; s < swaps; s++) {
        if (swappedAt[s] == j) {
          picked = swappedValue[s];
          slot = s;
          break;
        }
      }
      // Position j now holds what position i held; position i is never read again.
      int atI = i;
      for (int s = 0; s < swaps; s++) {
        if (swappedAt[s] == i) {
          atI = swappedValue[s];
          break;
        }
      }
      if (slot < 0) {
        slot = swaps++;
        swappedAt[slot] = j;
      }
      swappedValue[slot] = atI;
      chosen[i] = picked;
    }
    return chosen;
  }
}
