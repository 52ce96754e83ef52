package dev.cloudmapdns.server.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The availability zone of each node ({@code topology.kubernetes.io/zone}), read once per node
 * ({@code nodes get}) and kept. A node that cannot be read (no RBAC for nodes, gone) gives no zone
 * and is asked again only after a while, so AVAILABILITY_ZONE is simply left out.
 */
final class NodeZones implements Function<String, String> {
  private static final Logger LOG = LoggerFactory.getLogger(NodeZones.class);
  private static final Duration RETRY_UNREADABLE = Duration.ofMinutes(10);

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Known> known = new ConcurrentHashMap<>();

  private record Known(String zone, Instant until) {}

  NodeZones(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public String apply(String nodeName) {
    Known cached = known.get(nodeName);
    Instant now = clock.instant();
    if (cached != null && (cached.until == null || now.isBefore(cached.until))) {
      return cached.zone;
    }
    try {
      Node node = client.nodes().withName(nodeName).get();
      String zone =
          node == null || node.getMetadata().getLabels() == null
              ? null
              : node.getMetadata().getLabels().get(PodKeys.ZONE);
      known.put(nodeName, new Known(zone, node == null ? now.plus(RETRY_UNREADABLE) : null));
      return zone;
    } catch (KubernetesClientException e) {
      if (cached == null) {
        LOG.info(
            "kubernetes node={} unreadable, AVAILABILITY_ZONE left out: {}",
            nodeName,
            e.getMessage());
      }
      known.put(nodeName, new Known(null, now.plus(RETRY_UNREADABLE)));
      return null;
    }
  }
}
