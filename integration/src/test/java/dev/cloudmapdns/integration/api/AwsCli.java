package dev.cloudmapdns.integration.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real aws CLI against a local endpoint with dummy credentials and nothing from the user's
 * own configuration, so no call can leave this machine. {@code prefix} is put before the command
 * (e.g. a namespace wrapper for CLI v2's host prefix).
 */
final class AwsCli {
  /** What a CLI run printed and how it ended. */
  record Result(int exitCode, String stdout, String stderr) {
    String text() {
      return stdout.strip();
    }
  }

  private final List<String> prefix;
  private final String executable;
  private final String endpoint;
  private final Map<String, String> environment;

  AwsCli(List<String> prefix, String executable, String endpoint, Map<String, String> environment) {
    this.prefix = prefix;
    this.executable = executable;
    this.endpoint = endpoint;
    this.environment = environment;
  }

  /** The first {@code aws} on PATH (CLI v1 from Python here), or null. */
  static String onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  /** Runs {@code aws servicediscovery ARGS --endpoint-url ...}; fails unless it exits 0. */
  String sd(String... args) {
    Result result = run(args);
    assertEquals(0, result.exitCode(), String.join(" ", args) + "\n" + result.stderr());
    return result.text();
  }

  Result run(String... args) {
    List<String> command = new ArrayList<>(prefix);
    command.add(executable);
    command.add("servicediscovery");
    command.addAll(List.of(args));
    command.add("--endpoint-url");
    command.add(endpoint);
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_CONFIG_FILE", "/dev/null");
    env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_PAGER", "");
    env.putAll(environment);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> out = drain(process.getInputStream());
      CompletableFuture<String> err = drain(process.getErrorStream());
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("aws " + String.join(" ", args) + " did not finish in 120 s");
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toString(StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
