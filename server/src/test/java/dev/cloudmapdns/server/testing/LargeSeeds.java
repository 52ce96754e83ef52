package dev.cloudmapdns.server.testing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Seed files of any size, written line by line: one private namespace, {@code bench.local}, with
 * services {@code svc-0}, {@code svc-1}, … of up to {@link #PER_SERVICE} A+SRV instances each
 * ({@code i-0}, {@code i-1}, … with a 10.x address, port 8080 and a custom attribute). Shared with
 * the benchmark drivers.
 */
public final class LargeSeeds {
  /** Instances per service: Cloud Map's limit. */
  public static final int PER_SERVICE = 1_000;

  private LargeSeeds() {}

  /**
   * Writes a seed of {@code instances} instances to {@code file}, each with an extra attribute of
   * {@code padding} characters (0 for none), to make a large file of few items.
   */
  public static Path write(Path file, int instances, int padding) {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("namespaces:\n  - name: bench.local\n    services:\n");
      String pad = padding > 0 ? ", note: " + "x".repeat(padding) : "";
      for (int s = 0; s * PER_SERVICE < instances; s++) {
        out.write("      - name: svc-" + s + "\n");
        out.write("        dnsRecords: [{type: A, ttl: 60}, {type: SRV, ttl: 60}]\n");
        out.write("        instances:\n");
        for (int i = 0; i < PER_SERVICE && s * PER_SERVICE + i < instances; i++) {
          out.write(
              "          - {id: i-"
                  + i
                  + ", attributes: {AWS_INSTANCE_IPV4: "
                  + address(s, i)
                  + ", AWS_INSTANCE_PORT: \"8080\", team: bench"
                  + pad
                  + "}}\n");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** The DNS name of the last instance of a seed of {@code instances} instances. */
  public static String lastHost(int instances) {
    int last = instances - 1;
    return "i-" + last % PER_SERVICE + ".svc-" + last / PER_SERVICE + ".bench.local.";
  }

  /** The address of instance {@code i} of service {@code s}. */
  public static String address(int s, int i) {
    return "10." + s % 250 + "." + i / 250 + "." + (i % 250 + 1);
  }
}
