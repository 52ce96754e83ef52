package dev.cloudmapdns.integration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real kube-apiserver with etcd on free loopback ports, run by {@code
 * ../shared/kubernetes/apiserver-up.sh} from {@code KUBE_APISERVER_BIN}. There is no kubelet: tests
 * create pods and patch {@code pods/status} themselves. Closing it stops both processes.
 */
public final class KubeApiServer implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 150;

  private final Path runner;
  private final Path work;
  private final List<String> environment;
  private final Path kubeconfig;

  private KubeApiServer(Path runner, Path work, List<String> environment, Path kubeconfig) {
    this.runner = runner;
    this.work = work;
    this.environment = environment;
    this.kubeconfig = kubeconfig;
  }

  /** Why a real API server cannot run here, or empty when it can. */
  public static Optional<String> unavailable() {
    String binary = System.getenv("KUBE_APISERVER_BIN");
    if (binary == null || !Files.isExecutable(Path.of(binary))) {
      return Optional.of(
          "KUBE_APISERVER_BIN is not set to an executable (see ../shared/kubernetes/BUILD.md)");
    }
    if (!Files.isReadable(runner())) {
      return Optional.of(runner() + " is missing");
    }
    return Optional.empty();
  }

  private static Path runner() {
    return Path.of(System.getProperty("shared.kubernetes", "../../shared/kubernetes"))
        .resolve("apiserver-up.sh");
  }

  public static KubeApiServer start(Path work) throws IOException, InterruptedException {
    int[] ports = FreePorts.pick(3);
    List<String> environment =
        List.of(
            "KUBE_APISERVER_BIN=" + System.getenv("KUBE_APISERVER_BIN"),
            "ETCD_CLIENT_PORT=" + ports[0],
            "ETCD_PEER_PORT=" + ports[1],
            "APISERVER_PORT=" + ports[2],
            "READY_TIMEOUT=120");
    String out = run(runner(), work, environment, "start");
    String kubeconfig = out.lines().reduce((first, last) -> last).orElseThrow().strip();
    return new KubeApiServer(runner(), work, environment, Path.of(kubeconfig));
  }

  /** The kubeconfig file, written by the runner, that reaches this API server as an admin. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  private static String run(Path runner, Path work, List<String> environment, String command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(work.getParent(), "apiserver-up-", ".out");
    Path err = ItLogs.newFile("kube-apiserver-up-");
    ProcessBuilder builder =
        new ProcessBuilder("bash", runner.toString(), command, work.toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    for (String variable : environment) {
      int equals = variable.indexOf('=');
      builder.environment().put(variable.substring(0, equals), variable.substring(equals + 1));
    }
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("apiserver-up.sh " + command + " did not finish");
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "apiserver-up.sh "
              + command
              + " failed:\n"
              + stdout
              + Files.readString(err, StandardCharsets.UTF_8));
    }
    return stdout;
  }

  @Override
  public void close() throws IOException {
    try {
      run(runner, work, environment, "stop");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the API server", e);
    }
  }
}
