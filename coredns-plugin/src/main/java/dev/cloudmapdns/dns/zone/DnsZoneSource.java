package dev.cloudmapdns.dns.zone;

/**
 * The port through which the DNS edge reads the registry: the current immutable zone set. The
 * server implements it; implementations must return quickly and never block.
 */
@FunctionalInterface
public interface DnsZoneSource {
  DnsZoneSet zones();
}
