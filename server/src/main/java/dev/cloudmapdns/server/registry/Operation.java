package dev.cloudmapdns.server.registry;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A recorded change, as GetOperation reports it. {@code requestId} is the caller's CreatorRequestId
 * or UpdaterRequestId (null when none), which makes retries of the same request answer with the
 * same operation instead of applying it twice.
 */
public record Operation(
    String id,
    OperationType type,
    OperationStatus status,
    Map<OperationTarget, String> targets,
    Instant createDate,
    Instant updateDate,
    String requestId,
    String region) {
  public Operation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    targets = Map.copyOf(targets);
    Objects.requireNonNull(createDate, "createDate");
    Objects.requireNonNull(updateDate, "updateDate");
    Objects.requireNonNull(region, "region");
  }

  public String target(OperationTarget target) {
    return targets.get(target);
  }
}
