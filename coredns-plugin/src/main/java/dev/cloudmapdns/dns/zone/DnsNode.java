package dev.cloudmapdns.dns.zone;

import java.util.Map;

/**
 * A name that exists in a zone, with its values by record type. A type whose choice is empty (no
 * answerable instance) still makes the name exist: such a query answers NODATA, not NXDOMAIN.
 */
public record DnsNode(Map<Integer, RecordChoice> byType) {
  public DnsNode {
    byType = Map.copyOf(byType);
  }

  public RecordChoice choiceFor(int type) {
    return byType.get(type);
  }
}
