package dev.cloudmapdns.api.backend;

import java.util.Map;

/** A RegisterInstance call: creates the instance, or updates the one with the same id. */
public record InstanceRegistration(
    String serviceId, String instanceId, Map<String, String> attributes, String creatorRequestId) {}
