package dev.cloudmapdns.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees when starting the jar: help, and clear one-line errors. */
class StartupIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void helpPrintsUsageAndExits() throws Exception {
    CloudMapDnsProcess.Finished run = CloudMapDnsProcess.run(TIMEOUT, "--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.stdout().contains("--seed FILE"), run.stdout());
  }

  @Test
  void unknownArgumentIsRefused() throws Exception {
    CloudMapDnsProcess.Finished run = CloudMapDnsProcess.run(TIMEOUT, "--frobnicate");
    assertEquals(2, run.exitCode());
    assertTrue(run.stderr().contains("unknown argument: --frobnicate"), run.stderr());
  }

  @Test
  void malformedSeedStopsStartupNamingFileAndLine(@TempDir Path dir) throws Exception {
    Path seed = dir.resolve("registry.yaml");
    Files.writeString(
        seed,
        """
        namespaces:
          - name: app.local
            services:
              - name: backend-api
                routingpolicy: MULTIVALUE
        """);
    CloudMapDnsProcess.Finished run =
        CloudMapDnsProcess.run(
            TIMEOUT,
            "--seed",
            seed.toString(),
            "--micronaut.server.port=-1",
            "--grpc.server.port=0",
            "--cloudmap.dns.listener-port=0");
    assertEquals(2, run.exitCode(), run.stdout() + run.stderr());
    assertTrue(
        run.stderr().contains(seed + ":5: unknown key 'routingpolicy' in a service"), run.stderr());
  }

  @Test
  void missingSeedFileIsRefused(@TempDir Path dir) throws Exception {
    CloudMapDnsProcess.Finished run =
        CloudMapDnsProcess.run(TIMEOUT, "--seed", dir.resolve("absent.yaml").toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.stderr().contains("seed file not found"), run.stderr());
  }
}
