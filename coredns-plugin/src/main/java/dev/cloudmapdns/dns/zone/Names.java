package dev.cloudmapdns.dns.zone;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Conversions between registry strings and DNS names, in one place. */
public final class Names {
  private Names() {}

  /** The absolute, lower-case name for {@code text}, with or without a trailing dot. */
  public static Name absolute(String text) throws TextParseException {
    return lowerCase(Name.fromString(text, Name.root));
  }

  /** {@code name} in lower case: the key under which zones and nodes are stored. */
  public static Name lowerCase(Name name) {
    return name.canonicalize();
  }
}
