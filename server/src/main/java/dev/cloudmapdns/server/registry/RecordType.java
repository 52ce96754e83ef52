package dev.cloudmapdns.server.registry;

/** The DNS record types a service can define. */
public enum RecordType {
  A,
  AAAA,
  SRV,
  CNAME
}
