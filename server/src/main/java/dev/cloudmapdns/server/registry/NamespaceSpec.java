package dev.cloudmapdns.server.registry;

/**
 * What a caller asks for when creating a namespace. {@code soaTtl} is null for "the default";
 * {@code vpc} only matters for private DNS namespaces.
 */
public record NamespaceSpec(
    String name,
    NamespaceType type,
    String description,
    Long soaTtl,
    String vpc,
    String creatorRequestId) {}
