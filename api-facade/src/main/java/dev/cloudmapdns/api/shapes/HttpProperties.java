package dev.cloudmapdns.api.shapes;

/** {@code HttpProperties}: the name DiscoverInstances knows the namespace by. */
public record HttpProperties(String httpName) {}
