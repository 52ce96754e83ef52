package dev.cloudmapdns.server.seed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.function.Executable;

/** Seed files for tests: the example from the test resources, or text written to disk. */
final class SeedFixtures {
  private SeedFixtures() {}

  /** {@code seed/example.yaml}: app.local, backend-api with A and SRV, two instances. */
  static Path example() {
    URL url = SeedFixtures.class.getResource("/seed/example.yaml");
    if (url == null) {
      throw new IllegalStateException("seed/example.yaml is missing from the test resources");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code yaml} to {@code registry.yaml} in {@code dir}. */
  static Path write(Path dir, String yaml) {
    try {
      return Files.writeString(dir.resolve("registry.yaml"), yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Asserts that {@code loading} fails with a message of the form {@code <file>:<line>: ...} that
   * mentions {@code problem}.
   */
  static void assertSeedError(Executable loading, Path file, int line, String problem) {
    SeedException e = Assertions.assertThrows(SeedException.class, loading);
    String prefix = file + ":" + line + ": ";
    Assertions.assertTrue(
        e.getMessage().startsWith(prefix) && e.getMessage().contains(problem),
        () -> "expected '" + prefix + "..." + problem + "...' but got '" + e.getMessage() + "'");
  }
}
