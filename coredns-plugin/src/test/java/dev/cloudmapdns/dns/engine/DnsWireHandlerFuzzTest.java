package dev.cloudmapdns.dns.engine;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer against the wire handler for a few seconds in every build, starting from the corpus in
 * {@code src/test/resources/.../DnsWireHandlerFuzzTestInputs}; without {@code JAZZER_FUZZ} (an IDE
 * run) it replays that corpus only.
 */
class DnsWireHandlerFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void answersOrRefusesAnyPacket(byte[] packet) {
    DnsWireHandlerFuzzing.check(packet);
  }
}
