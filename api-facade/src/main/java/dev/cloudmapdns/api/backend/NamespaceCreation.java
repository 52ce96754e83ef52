package dev.cloudmapdns.api.backend;

import java.util.Map;

/**
 * A namespace to create. {@code type} is HTTP, DNS_PRIVATE or DNS_PUBLIC; {@code soaTtl} and {@code
 * vpc} are null when not given.
 */
public record NamespaceCreation(
    String type,
    String name,
    String description,
    String vpc,
    Long soaTtl,
    String creatorRequestId,
    Map<String, String> tags) {}
