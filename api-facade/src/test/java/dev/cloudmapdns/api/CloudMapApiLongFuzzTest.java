package dev.cloudmapdns.api;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** The long run of {@link CloudMapApiFuzzTest}: {@code ./mvnw -Pfuzz-long -pl api-facade test}. */
class CloudMapApiLongFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void answersAnyBodyWithAnAwsErrorOrAResult(FuzzedDataProvider data) {
    CloudMapApiFuzzing.check(data);
  }
}
