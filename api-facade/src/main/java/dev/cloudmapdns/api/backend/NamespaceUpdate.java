package dev.cloudmapdns.api.backend;

/**
 * A change to a namespace of the given {@code type}; null fields stay as they are. An update for a
 * type other than the namespace's is refused.
 */
public record NamespaceUpdate(
    String type, String description, Long soaTtl, String updaterRequestId) {}
