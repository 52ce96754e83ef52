package dev.cloudmapdns.api;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer against request parsing and validation for a few seconds in every build, from the corpus
 * in {@code src/test/resources/.../CloudMapApiFuzzTestInputs}.
 */
class CloudMapApiFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void answersAnyBodyWithAnAwsErrorOrAResult(FuzzedDataProvider data) {
    CloudMapApiFuzzing.check(data);
  }
}
