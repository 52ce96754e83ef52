package dev.cloudmapdns.server.registry;

import java.util.Locale;

/**
 * The DNS rule for comparing names, used by everyone who compares namespace or service names: names
 * that differ only by ASCII case or a trailing dot are the same name.
 */
public final class DnsNames {
  private DnsNames() {}

  /** {@code name} in the form two equal DNS names share: lower case, without a trailing dot. */
  public static String canonical(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  /** Whether {@code a} and {@code b} name the same DNS name. */
  public static boolean same(String a, String b) {
    return canonical(a).equals(canonical(b));
  }
}
