package dev.cloudmapdns.server.kubernetes;

import java.time.Instant;

/**
 * Where the watcher stands, for {@code /health} and the log.
 *
 * @param watching whether every watch on pods is open
 * @param since when {@code watching} last changed
 * @param lastError the last failure talking to the API server, or null
 * @param pods pods seen
 * @param instances instances the pods want registered, as of the last reconcile
 * @param skipped pods skipped, as of the last reconcile
 */
public record WatchStatus(
    boolean watching, Instant since, String lastError, int pods, int instances, int skipped) {}
