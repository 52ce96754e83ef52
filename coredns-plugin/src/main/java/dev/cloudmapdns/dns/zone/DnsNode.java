package dev.cloudmapdns.dns.zone;

import java.util.Map;

/**
 * A name that exists in a zone, with its values by record type. A type whose choice is empty (no
 * answerable instance) still makes the name exist: such a query answers NODATA, not NXDOMAIN.
 *
 * <p>A node also carries what the answer engine prepared from it on first use (its answers in wire
 * format), so that prepared answers live exactly as long as the values they were made from: a
 * change to a service compiles new nodes for its names, with nothing prepared, and leaves every
 * other service's nodes, and their prepared answers, as they were. The prepared part is not part of
 * the node's value ({@link #equals} ignores it).
 */
public final class DnsNode {
  private final Map<Integer, RecordChoice> byType;
  private volatile Prepared prepared;

  public DnsNode(Map<Integer, RecordChoice> byType) {
    this.byType = Map.copyOf(byType);
  }

  public Map<Integer, RecordChoice> byType() {
    return byType;
  }

  public RecordChoice choiceFor(int type) {
    return byType.get(type);
  }

  /** What the answer engine prepared from this node so far, or null. */
  public Prepared prepared() {
    return prepared;
  }

  /**
   * Keeps what the answer engine prepared from this node, replacing what it kept before. Two
   * engines racing may overwrite each other's preparation: each is complete, so either is correct.
   */
  public void keepPrepared(Prepared next) {
    prepared = next;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DnsNode node && byType.equals(node.byType);
  }

  @Override
  public int hashCode() {
    return byType.hashCode();
  }

  @Override
  public String toString() {
    return "DnsNode" + byType;
  }

  /** What the answer engine keeps on a node; its shape is the engine's business. */
  public interface Prepared {}
}
