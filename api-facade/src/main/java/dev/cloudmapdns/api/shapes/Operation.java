package dev.cloudmapdns.api.shapes;

import java.time.Instant;
import java.util.Map;

/** Cloud Map's {@code Operation}: an asynchronous change and what it touched. */
public record Operation(
    String id,
    String ownerAccount,
    String type,
    String status,
    String errorMessage,
    String errorCode,
    Instant createDate,
    Instant updateDate,
    Map<String, String> targets) {}
