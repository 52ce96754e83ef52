package dev.cloudmapdns.integration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real grpcurl, run to completion with the arguments a user would type after its name. */
final class Grpcurl {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Path binary;

  Grpcurl(Path binary) {
    this.binary = binary;
  }

  /** What grpcurl printed, and its exit status (0, or 64 + the gRPC status code on an error). */
  record Result(List<String> command, int exitCode, String stdout, String stderr) {
    /** Standard output, after checking that grpcurl succeeded. */
    String succeeded() {
      if (exitCode != 0) {
        throw new AssertionError(this.toString());
      }
      return stdout;
    }

    @Override
    public String toString() {
      return String.join(" ", command)
          + "\nexit "
          + exitCode
          + "\nstdout:\n"
          + stdout
          + "\nstderr:\n"
          + stderr;
    }
  }

  Result run(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(arguments));
    Path out = Files.createTempFile("grpcurl-out-", ".txt");
    Path err = Files.createTempFile("grpcurl-err-", ".txt");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("grpcurl did not finish within " + TIMEOUT + ": " + command);
      }
      return new Result(
          command,
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
