package dev.cloudmapdns.server.registry;

/** The active health checks this server runs. */
public enum HealthCheckType {
  HTTP,
  HTTPS,
  TCP
}
