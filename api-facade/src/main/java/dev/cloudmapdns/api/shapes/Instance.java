package dev.cloudmapdns.api.shapes;

import java.util.Map;

/** Cloud Map's {@code Instance}; ListInstances' {@code InstanceSummary} is the same less the id. */
public record Instance(
    String id, String creatorRequestId, Map<String, String> attributes, String createdByAccount) {

  public Instance summary() {
    return new Instance(id, null, attributes, createdByAccount);
  }
}
