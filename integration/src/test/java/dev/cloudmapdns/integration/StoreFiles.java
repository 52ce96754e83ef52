package dev.cloudmapdns.integration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Where a server started by a test keeps its registry: the default store (SQLite) in a fresh
 * directory under {@code target/}, so that no test sees another's data or writes {@code ./data}.
 */
public final class StoreFiles {
  private StoreFiles() {}

  /** A new, empty directory for one server's database. */
  public static Path newDirectory() {
    try {
      Path target = Files.createDirectories(Path.of("target", "it-stores"));
      return Files.createTempDirectory(target.toAbsolutePath(), "store-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The store arguments to add: none when the test chose a store itself, else a fresh file. */
  public static List<String> defaultFor(String... arguments) {
    boolean chosen = Arrays.stream(arguments).anyMatch(arg -> arg.startsWith("--store"));
    if (chosen) {
      return List.of();
    }
    return List.of("--store-file=" + newDirectory().resolve("cloudmap.db"));
  }
}
