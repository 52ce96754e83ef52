package dev.cloudmapdns.dns.zone;

import org.xbill.DNS.Type;

/** The record types a Cloud Map service can ask for in its DnsConfig. */
public enum RecordKind {
  A(Type.A),
  AAAA(Type.AAAA),
  SRV(Type.SRV),
  CNAME(Type.CNAME);

  private final int type;

  RecordKind(int type) {
    this.type = type;
  }

  /** The dnsjava {@link Type} code. */
  public int type() {
    return type;
  }
}
