package dev.cloudmapdns.dns.zone;

/** How many healthy values one answer carries, after Cloud Map's routing policies. */
public enum Routing {
  /** Up to {@link #MULTIVALUE_LIMIT} values, chosen at random when there are more. */
  MULTIVALUE,
  /** One value, chosen at random. */
  WEIGHTED;

  public static final int MULTIVALUE_LIMIT = 8;

  int answerLimit() {
    return this == MULTIVALUE ? MULTIVALUE_LIMIT : 1;
  }
}
