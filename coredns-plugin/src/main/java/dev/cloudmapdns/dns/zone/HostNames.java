package dev.cloudmapdns.dns.zone;

import java.util.regex.Pattern;

/**
 * Which instance ids can become the first labels of an SRV target. Cloud Map accepts ids with
 * {@code :}, {@code /} and {@code @}; a host name cannot hold them, and Go's resolver rejects a
 * whole reply that carries one. Such instances stay out of SRV answers and get no host records;
 * they are still answered in the service's A and AAAA records.
 */
public final class HostNames {
  private static final Pattern LABEL =
      Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");

  private HostNames() {}

  /** True when {@code id} is one or more dot-separated host name labels. */
  public static boolean isHostLabelSequence(String id) {
    if (id.isEmpty() || id.length() > 200) {
      return false;
    }
    for (String label : id.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }
}
