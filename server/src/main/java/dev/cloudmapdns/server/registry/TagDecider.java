package dev.cloudmapdns.server.registry;

import dev.cloudmapdns.server.registry.RegistryCommand.TagResource;
import dev.cloudmapdns.server.registry.RegistryCommand.UntagResource;
import java.util.LinkedHashMap;
import java.util.Map;

/** Tag commands on namespaces and services, by ARN: state + command → decision. */
final class TagDecider {
  private TagDecider() {}

  static Decision<String> tag(RegistryState state, TagResource command) {
    String id = requireTaggable(state, command.arn());
    Map<String, String> next = new LinkedHashMap<>(state.tags(id));
    next.putAll(command.tags());
    RegistryRules.checkTags(command.arn(), next.size());
    return Decision.stored(id, new StateDelta.TagsSet(id, next));
  }

  static Decision<String> untag(RegistryState state, UntagResource command) {
    String id = requireTaggable(state, command.arn());
    Map<String, String> next = new LinkedHashMap<>(state.tags(id));
    next.keySet().removeAll(command.keys());
    return Decision.stored(id, new StateDelta.TagsSet(id, next));
  }

  /** The id of the namespace or service with this ARN. */
  static String requireTaggable(RegistryState state, String arn) {
    return state
        .namespace(arn)
        .map(Namespace::id)
        .or(() -> state.service(arn).map(entry -> entry.service().id()))
        .filter(id -> !id.equals(arn))
        .orElseThrow(
            () ->
                new RegistryException(
                    RegistryError.RESOURCE_NOT_FOUND, "Resource " + arn + " not found"));
  }
}
