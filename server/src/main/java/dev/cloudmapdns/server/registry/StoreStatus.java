package dev.cloudmapdns.server.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * How a shared store's replica is doing, for {@code /health} and {@code /metrics}.
 *
 * @param reachable whether the store answered its last probe
 * @param position the newest store position (etcd revision) this replica has applied
 * @param upToDateAt when the store last said this replica had everything committed, or null before
 *     the first time
 * @param lastError why the last probe failed, or null
 */
public record StoreStatus(boolean reachable, long position, Instant upToDateAt, String lastError) {
  public StoreStatus {
    if (reachable) {
      Objects.requireNonNull(upToDateAt, "upToDateAt");
    }
  }
}
