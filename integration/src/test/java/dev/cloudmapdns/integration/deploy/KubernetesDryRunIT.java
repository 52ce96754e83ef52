package dev.cloudmapdns.integration.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cloudmapdns.integration.KubeApiServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl apply -k docs/deploy/kubernetes --dry-run=server} against a real kube-apiserver
 * (with etcd, on free loopback ports): the server validates every field, the RBAC objects and the
 * admission rules. Skipped, saying why, when {@code KUBE_APISERVER_BIN} is not set or kubectl is
 * missing.
 */
class KubernetesDryRunIT {
  private static final long TIMEOUT_SECONDS = 120;

  @TempDir Path work;

  @Test
  void apiServerAcceptsEveryManifestOfTheFolder() throws Exception {
    assumeTrue(
        KubeApiServer.unavailable().isEmpty(),
        () -> "skipping the API server's dry run: " + KubeApiServer.unavailable().orElse(""));
    assumeTrue(onPath("kubectl"), "kubectl is not installed; skipping the API server's dry run");
    try (KubeApiServer cluster = KubeApiServer.start(work.resolve("cluster"))) {
      Path out = work.resolve("kubectl.out");
      Path err = work.resolve("kubectl.err");
      Process kubectl =
          new ProcessBuilder(
                  "kubectl",
                  "--kubeconfig",
                  cluster.kubeconfig().toString(),
                  "apply",
                  "--dry-run=server",
                  "-o",
                  "name",
                  "-k",
                  System.getProperty("deploy.manifests"))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!kubectl.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        kubectl.destroyForcibly();
        throw new IllegalStateException("kubectl did not finish in " + TIMEOUT_SECONDS + " s");
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      assertEquals(
          0,
          kubectl.exitValue(),
          () -> "kubectl apply --dry-run=server:\n" + output + readQuietly(err));
      assertEquals(
          List.of(
              "serviceaccount/cloudmap-dns",
              "clusterrole.rbac.authorization.k8s.io/cloudmap-dns",
              "clusterrolebinding.rbac.authorization.k8s.io/cloudmap-dns",
              "service/cloudmap-dns",
              "persistentvolumeclaim/cloudmap-dns-data",
              "deployment.apps/cloudmap-dns"),
          output.lines().filter(line -> line.contains("/")).toList());
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(" + file + " unreadable: " + e.getMessage() + ")";
    }
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
