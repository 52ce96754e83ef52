package dev.cloudmapdns.integration;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A program that the build cannot fetch (a real CoreDNS, grpcurl), found through an environment
 * variable. Tests that need one are skipped, saying why, on a machine that does not have it.
 *
 * <p>Skip in {@code @BeforeEach} with {@link #assumePresent()}, not in {@code @BeforeAll}: failsafe
 * reports a class aborted in {@code @BeforeAll} as "Tests run: 0" and drops the reason.
 */
final class InstalledTool {
  private final Path path;
  private final String whyAbsent;

  private InstalledTool(Path path, String whyAbsent) {
    this.path = path;
    this.whyAbsent = whyAbsent;
  }

  /** The executable that {@code variable} names, if it names one. */
  static InstalledTool fromEnvironment(String variable, String howToGetIt) {
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      return new InstalledTool(null, variable + " is not set; skipping. " + howToGetIt);
    }
    Path path = Path.of(value);
    if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
      return new InstalledTool(
          null, variable + "=" + value + " is not an executable file; skipping. " + howToGetIt);
    }
    return new InstalledTool(path, null);
  }

  Optional<Path> path() {
    return Optional.ofNullable(path);
  }

  /** Aborts the calling test, with the reason, when the tool is absent. */
  void assumePresent() {
    assumeTrue(path != null, whyAbsent);
  }
}
