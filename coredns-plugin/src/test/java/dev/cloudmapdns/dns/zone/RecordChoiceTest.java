package dev.cloudmapdns.dns.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;

/** How many values an answer carries, and which. */
class RecordChoiceTest {
  private static final Name OWNER = Name.fromConstantString("web.app.local.");

  private static RecordChoice choice(int candidates, int limit) {
    List<Candidate> all =
        IntStream.range(0, candidates)
            .mapToObj(
                i ->
                    Candidate.of(
                        new ARecord(
                            OWNER,
                            DClass.IN,
                            60,
                            new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i})))
            .toList();
    return new RecordChoice(all, limit);
  }

  /** The textbook partial Fisher-Yates over an array of every position: what choose must equal. */
  private static List<Candidate> fullShuffle(RecordChoice choice, Random random) {
    int n = choice.candidates().size();
    int[] order = IntStream.range(0, n).toArray();
    List<Candidate> chosen = new ArrayList<>();
    for (int i = 0; i < Math.min(choice.limit(), n); i++) {
      int j = i + random.nextInt(n - i);
      int picked = order[j];
      order[j] = order[i];
      order[i] = picked;
      chosen.add(choice.candidates().get(picked));
    }
    return chosen;
  }

  @ParameterizedTest(name = "{0} candidates, limit {1}")
  @CsvSource({"2,8", "3,8", "8,8", "9,8", "50,8", "1000,8", "1000,1", "5,1", "20,20"})
  void choosesExactlyWhatAFullShuffleWouldChooseFromTheSameRandomness(int n, int limit) {
    RecordChoice choice = choice(n, limit);
    for (long seed = 0; seed < 200; seed++) {
      assertEquals(
          fullShuffle(choice, new Random(seed)), choice.choose(new Random(seed)), "seed " + seed);
    }
  }

  @ParameterizedTest(name = "{0} candidates, limit {1}")
  @CsvSource({"2,8", "9,8", "1000,8", "1000,1"})
  void choosesUpToTheLimitWithoutRepeats(int n, int limit) {
    RecordChoice choice = choice(n, limit);
    Random random = new Random(7);
    for (int round = 0; round < 100; round++) {
      List<Candidate> chosen = choice.choose(random);
      assertEquals(Math.min(n, limit), chosen.size());
      assertEquals(chosen.size(), new HashSet<>(chosen).size());
      assertTrue(choice.candidates().containsAll(chosen));
    }
  }

  @ParameterizedTest(name = "{0} candidates")
  @CsvSource({"0", "1"})
  void aChoiceOfAtMostOneIsTheCandidatesThemselves(int n) {
    RecordChoice choice = choice(n, 8);
    assertSame(choice.candidates(), choice.choose(new Random(1)));
  }
}
