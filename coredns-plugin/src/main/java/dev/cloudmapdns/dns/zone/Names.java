package dev.cloudmapdns.dns.zone;

import org.xbill.DNS.Name;

/** The one spelling of a DNS name under which zones and nodes are stored and looked up. */
public final class Names {
  private Names() {}

  /** {@code name} in lower case: the key under which zones and nodes are stored. */
  public static Name lowerCase(Name name) {
    return name.canonicalize();
  }
}
