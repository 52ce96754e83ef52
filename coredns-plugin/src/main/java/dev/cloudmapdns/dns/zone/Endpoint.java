package dev.cloudmapdns.dns.zone;

import java.util.Objects;

/**
 * What DNS needs of one registered instance: its id (the SRV target's first labels), its addresses,
 * port and CNAME as registered (absent values are {@code null}), and whether it may be answered.
 * The registry decides {@code answerable} from its health rules; DNS never second-guesses it.
 */
public record Endpoint(
    String instanceId, String ipv4, String ipv6, Integer port, String cname, boolean answerable) {
  public Endpoint {
    Objects.requireNonNull(instanceId, "instanceId");
  }
}
