package dev.cloudmapdns.dns.zone;

import java.util.ArrayList;
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
   * Up to {@code limit} distinct candidates in random order (a partial Fisher-Yates shuffle, so a
   * large set costs only {@code limit} swaps).
   */
  public List<Candidate> choose(RandomGenerator random) {
    int n = candidates.size();
    int k = Math.min(limit, n);
    if (n == 1) {
      return candidates;
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    List<Candidate> chosen = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(n - i);
      int picked = order[j];
      order[j] = order[i];
      order[i] = picked;
      chosen.add(candidates.get(picked));
    }
    return chosen;
  }
}
