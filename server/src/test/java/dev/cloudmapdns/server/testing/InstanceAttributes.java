package dev.cloudmapdns.server.testing;

import dev.cloudmapdns.server.registry.Instance;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An instance's attribute map, reserved attributes by name and custom ones by key.
 *
 * <pre>{@code
 * Map<String, String> attributes = attributes().ipv4("10.0.0.1").port(8080).build();
 * }</pre>
 */
public final class InstanceAttributes {
  private final Map<String, String> values = new LinkedHashMap<>();

  private InstanceAttributes() {}

  public static InstanceAttributes attributes() {
    return new InstanceAttributes();
  }

  public InstanceAttributes ipv4(String address) {
    return put(Instance.IPV4, address);
  }

  public InstanceAttributes ipv6(String address) {
    return put(Instance.IPV6, address);
  }

  public InstanceAttributes port(int port) {
    return put(Instance.PORT, Integer.toString(port));
  }

  public InstanceAttributes cname(String target) {
    return put(Instance.CNAME, target);
  }

  public InstanceAttributes initHealth(String status) {
    return put(Instance.INIT_HEALTH_STATUS, status);
  }

  public InstanceAttributes put(String key, String value) {
    values.put(key, value);
    return this;
  }

  /** A copy that keeps insertion order (and, unlike {@code Map.of}, may hold a null value). */
  public Map<String, String> build() {
    return new LinkedHashMap<>(values);
  }
}
