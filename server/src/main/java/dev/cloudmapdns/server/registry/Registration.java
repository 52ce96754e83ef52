package dev.cloudmapdns.server.registry;

import java.util.Map;

/** A RegisterInstance request: a new instance, or new attributes for the one with this id. */
public record Registration(
    String serviceId, String instanceId, Map<String, String> attributes, String creatorRequestId) {}
