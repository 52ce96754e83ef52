package dev.cloudmapdns.dns.engine;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The long run of {@link DnsWireHandlerFuzzTest}: {@code ./mvnw -Pfuzz-long -pl coredns-plugin
 * test}.
 */
class DnsWireHandlerLongFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void answersOrRefusesAnyPacket(byte[] packet) {
    DnsWireHandlerFuzzing.check(packet);
  }
}
