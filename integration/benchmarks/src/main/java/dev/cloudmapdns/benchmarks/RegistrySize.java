package dev.cloudmapdns.benchmarks;

import dev.cloudmapdns.server.registry.Registration;
import dev.cloudmapdns.server.registry.RegistryCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fills an {@link InProcessServer}'s namespace with {@code instances} instances in services of 5
 * ({@code svc-0}, {@code svc-1}, ...), a thousand registrations per registry batch. Addresses are
 * data only: nothing is probed.
 */
final class RegistrySize {
  static final int PER_SERVICE = 5;

  private RegistrySize() {}

  /** Fills the namespace; returns the id of {@code svc-0}. */
  static String fill(InProcessServer server, int instances) {
    String first = null;
    String current = null;
    List<RegistryCommand<?>> batch = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      if (i % PER_SERVICE == 0) {
        current = server.service("svc-" + (i / PER_SERVICE), null);
        if (first == null) {
          first = current;
        }
      }
      batch.add(
          new RegistryCommand.RegisterInstance(
              new Registration(current, "i-" + i, Map.of("AWS_INSTANCE_IPV4", address(i)), null)));
      if (batch.size() == 1_000) {
        server.registry.executeEach(batch);
        batch.clear();
      }
    }
    server.registry.executeEach(batch);
    return first;
  }

  /** A distinct 10.x address for the i-th instance. */
  static String address(int i) {
    return "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
  }
}
