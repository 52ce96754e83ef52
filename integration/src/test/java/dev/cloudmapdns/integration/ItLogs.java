package dev.cloudmapdns.integration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the output of a process started by a test goes: a new file under {@code target/it-logs/},
 * kept after the run for reading and removed by {@code mvn clean}, never in the system's temporary
 * directory.
 */
public final class ItLogs {
  private ItLogs() {}

  /** A new, empty file named {@code <prefix><random>.log}. */
  public static Path newFile(String prefix) {
    try {
      Path directory = Files.createDirectories(Path.of("target", "it-logs"));
      return Files.createTempFile(directory.toAbsolutePath(), prefix, ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
