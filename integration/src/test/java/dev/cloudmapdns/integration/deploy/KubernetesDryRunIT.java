package dev.cloudmapdns.integration.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cloudmapdns.integration.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl apply -k docs/deploy/kubernetes --dry-run=server} against a real kube-apiserver
 * (with etcd, on free loopback ports), started by {@code ../shared/kubernetes/apiserver-up.sh}: the
 * server validates every field, the RBAC objects and the admission rules. Skipped, saying why, when
 * {@code KUBE_APISERVER_BIN} is not set or kubectl is missing.
 */
class KubernetesDryRunIT {
  private static final long TIMEOUT_SECONDS = 120;

  @TempDir Path work;
  private Path runner;
  private Map<String, String> environment;

  @BeforeEach
  void startApiServer() throws Exception {
    String binary = System.getenv("KUBE_APISERVER_BIN");
    assumeTrue(
        binary != null && Files.isExecutable(Path.of(binary)),
        "KUBE_APISERVER_BIN is not set to an executable; skipping the API server's dry run"
            + " (see ../shared/kubernetes/BUILD.md)");
    assumeTrue(onPath("kubectl"), "kubectl is not installed; skipping the API server's dry run");
    runner = Path.of(System.getProperty("shared.kubernetes"), "apiserver-up.sh");
    assumeTrue(Files.isReadable(runner), runner + " is missing; skipping the API server's dry run");
    int[] ports = FreePorts.pick(3);
    environment =
        Map.of(
            "KUBE_APISERVER_BIN", binary,
            "ETCD_CLIENT_PORT", String.valueOf(ports[0]),
            "ETCD_PEER_PORT", String.valueOf(ports[1]),
            "APISERVER_PORT", String.valueOf(ports[2]));
  }

  @AfterEach
  void stopApiServer() throws Exception {
    if (environment != null) {
      run(List.of("bash", runner.toString(), "stop", work.toString()));
    }
  }

  @Test
  void apiServerAcceptsEveryManifestOfTheFolder() throws Exception {
    Result started = run(List.of("bash", runner.toString(), "start", work.toString()));
    assertEquals(0, started.exitCode(), "apiserver-up.sh start:\n" + started.output());
    String kubeconfig = started.output().lines().reduce((first, last) -> last).orElseThrow();
    Result applied =
        run(
            List.of(
                "kubectl",
                "--kubeconfig",
                kubeconfig.strip(),
                "apply",
                "--dry-run=server",
                "-o",
                "name",
                "-k",
                System.getProperty("deploy.manifests")));
    assertEquals(0, applied.exitCode(), "kubectl apply --dry-run=server:\n" + applied.output());
    assertEquals(
        List.of(
            "serviceaccount/cloudmap-dns",
            "clusterrole.rbac.authorization.k8s.io/cloudmap-dns",
            "clusterrolebinding.rbac.authorization.k8s.io/cloudmap-dns",
            "service/cloudmap-dns",
            "persistentvolumeclaim/cloudmap-dns-data",
            "deployment.apps/cloudmap-dns"),
        applied.output().lines().filter(line -> line.contains("/")).toList());
  }

  private record Result(int exitCode, String output) {}

  /** Runs a command to completion; stdout only (the runner logs to stderr, kept on failure). */
  private Result run(List<String> command) throws IOException, InterruptedException {
    Path out = work.resolve("out-" + System.nanoTime());
    Path err = work.resolve("err-" + System.nanoTime());
    ProcessBuilder builder =
        new ProcessBuilder(new ArrayList<>(command))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " did not finish in " + TIMEOUT_SECONDS + " s");
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    return new Result(process.exitValue(), process.exitValue() == 0 ? stdout : stdout + stderr);
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
