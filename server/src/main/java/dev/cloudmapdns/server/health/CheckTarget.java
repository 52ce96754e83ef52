package dev.cloudmapdns.server.health;

import dev.cloudmapdns.server.registry.HealthCheckConfig;
import dev.cloudmapdns.server.registry.HealthCheckType;
import dev.cloudmapdns.server.registry.Instance;
import dev.cloudmapdns.server.registry.InstanceOwner;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to probe one instance: the check type, the instance's address (IPv4, else IPv6) and
 * port, and the path for HTTP(S). Two targets are equal when a probe of one is a probe of the
 * other, so a changed address, port or check restarts the instance's checks.
 *
 * @param type HTTP, HTTPS or TCP
 * @param address an IP literal, never a host name (nothing is resolved)
 * @param port the instance's AWS_INSTANCE_PORT, or the scheme's default when it has none
 * @param path the HTTP(S) resource path; "/" for TCP, where it is unused
 * @param threshold consecutive opposite results that flip the status
 */
public record CheckTarget(
    HealthCheckType type, String address, int port, String path, int threshold) {
  public CheckTarget {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(path, "path");
  }

  /**
   * The target of an instance of a service with {@code check}, or empty when the instance has no
   * address to probe or its health is its pod's readiness (pod IPs are never probed). The registry
   * requires AWS_INSTANCE_PORT for checked services (as AWS does); the scheme's default port only
   * applies to an instance that somehow has none.
   */
  public static Optional<CheckTarget> of(HealthCheckConfig check, Instance instance) {
    if (instance.owner() == InstanceOwner.KUBERNETES) {
      return Optional.empty();
    }
    String address = instance.ipv4() != null ? instance.ipv4() : instance.ipv6();
    if (address == null) {
      return Optional.empty();
    }
    Integer port = instance.port();
    if (port == null) {
      port =
          switch (check.type()) {
            case HTTP -> 80;
            case HTTPS -> 443;
            case TCP -> null;
          };
      if (port == null) {
        return Optional.empty();
      }
    }
    String path = check.resourcePath() == null ? "/" : check.resourcePath();
    return Optional.of(
        new CheckTarget(check.type(), address, port, path, check.failureThreshold()));
  }

  /** The Host header value: the address, bracketed when IPv6, and the port. */
  String hostHeader() {
    return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
  }

  @Override
  public String toString() {
    return type + " " + hostHeader() + (type == HealthCheckType.TCP ? "" : path);
  }
}
