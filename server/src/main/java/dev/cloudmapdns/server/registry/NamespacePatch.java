package dev.cloudmapdns.server.registry;

/**
 * An update of a namespace of the given type; null fields stay as they are. {@code requestId} is
 * the UpdaterRequestId, or null.
 */
public record NamespacePatch(
    NamespaceType type, String description, Long soaTtl, String requestId) {}
