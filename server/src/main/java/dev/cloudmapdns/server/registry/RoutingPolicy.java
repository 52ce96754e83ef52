package dev.cloudmapdns.server.registry;

/** How many healthy instances one DNS answer carries: up to eight, or one. */
public enum RoutingPolicy {
  MULTIVALUE,
  WEIGHTED
}
