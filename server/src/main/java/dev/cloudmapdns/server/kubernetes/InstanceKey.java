package dev.cloudmapdns.server.kubernetes;

/** An instance's place in the registry: its service and its id there. */
record InstanceKey(String serviceId, String instanceId) {}
