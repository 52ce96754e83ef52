package dev.cloudmapdns.server.registry;

/** An instance's health as Cloud Map reports it. Only HEALTHY instances are answered in DNS. */
public enum HealthStatus {
  HEALTHY,
  UNHEALTHY,
  UNKNOWN
}
