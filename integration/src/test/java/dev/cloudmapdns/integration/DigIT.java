package dev.cloudmapdns.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The packaged server, seeded from a file, queried with the real dig over UDP and TCP. */
class DigIT {
  private static CloudMapDnsProcess server;

  @BeforeAll
  static void start() throws Exception {
    if (Dig.available()) {
      server = CloudMapDnsProcess.start("--seed", seed().toString());
    }
  }

  /** Skips per test, so that failsafe reports each skip with its reason. */
  @BeforeEach
  void requireDig() {
    assumeTrue(server != null, "dig is not installed (apt-get install dnsutils); skipping");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  static Path seed() throws Exception {
    return Path.of(DigIT.class.getResource("/walkthrough-seed.yaml").toURI());
  }

  @Test
  void answersBothInstancesForA() throws Exception {
    assertEquals(
        Set.of("10.0.0.1", "10.0.0.2"),
        lines(Dig.run(server.dnsPort, "backend-api.app.local", "A", "+short")));
  }

  @Test
  void answersPortAndTargetsForSrvWithTheirAddresses() throws Exception {
    assertEquals(
        Set.of(
            "1 1 8080 backend-1.backend-api.app.local.",
            "1 1 8080 backend-2.backend-api.app.local."),
        lines(Dig.run(server.dnsPort, "backend-api.app.local", "SRV", "+short")));
    String full = Dig.run(server.dnsPort, "backend-api.app.local", "SRV", "+noall", "+additional");
    assertTrue(
        full.matches(
            "(?s).*backend-1\\.backend-api\\.app\\.local\\.\\s+60\\s+IN\\s+A\\s+10\\.0\\.0\\.1.*"),
        full);
    assertEquals(
        Set.of("10.0.0.2"),
        lines(Dig.run(server.dnsPort, "backend-2.backend-api.app.local", "A", "+short")));
  }

  @Test
  void answersNxdomainWithTheSoaForAnUnknownNameInTheZone() throws Exception {
    String output = Dig.run(server.dnsPort, "nope.app.local", "A");
    assertTrue(output.contains("status: NXDOMAIN"), output);
    assertTrue(output.contains("flags: qr aa"), output);
    String authority = Dig.run(server.dnsPort, "nope.app.local", "A", "+noall", "+authority");
    assertTrue(authority.matches("(?s)app\\.local\\.\\s+15\\s+IN\\s+SOA\\s+.*"), authority);
  }

  @Test
  void answersNodataForAnotherTypeOfAnExistingName() throws Exception {
    String output = Dig.run(server.dnsPort, "backend-api.app.local", "AAAA");
    assertTrue(output.contains("status: NOERROR"), output);
    assertTrue(output.contains("ANSWER: 0"), output);
  }

  @Test
  void answersOverTcpToo() throws Exception {
    assertEquals(
        Set.of("10.0.0.1", "10.0.0.2"),
        lines(Dig.run(server.dnsPort, "+tcp", "BACKEND-API.App.Local", "A", "+short")));
  }

  @Test
  void refusesNamesOutsideEveryZone() throws Exception {
    String output = Dig.run(server.dnsPort, "example.com", "A");
    assertTrue(output.contains("status: REFUSED"), output);
  }

  private static Set<String> lines(String output) {
    List<String> lines = Arrays.stream(output.split("\n")).map(String::trim).toList();
    return lines.stream().filter(line -> !line.isEmpty()).collect(Collectors.toSet());
  }
}
