package dev.cloudmapdns.api.operations;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cloudmapdns.api.backend.CloudMapBackend;
import dev.cloudmapdns.api.shapes.Tag;
import java.util.List;

/** ListTagsForResource, TagResource and UntagResource on namespaces and services. */
final class TagOperations {
  record ResourceRequest(@JsonProperty("ResourceARN") String resourceArn) {}

  record TagResourceRequest(@JsonProperty("ResourceARN") String resourceArn, List<Tag> tags) {}

  record UntagResourceRequest(
      @JsonProperty("ResourceARN") String resourceArn, List<String> tagKeys) {}

  record ListTagsResponse(List<Tag> tags) {}

  private final CloudMapBackend backend;

  TagOperations(CloudMapBackend backend) {
    this.backend = backend;
  }

  void register(Routes routes) {
    routes.add(
        "ListTagsForResource",
        ResourceRequest.class,
        r -> new ListTagsResponse(Tags.toList(backend.tags(r.resourceArn()))));
    routes.add(
        "TagResource",
        TagResourceRequest.class,
        r -> {
          backend.tagResource(r.resourceArn(), Tags.toMap(r.tags()));
          return new EmptyResponse();
        });
    routes.add(
        "UntagResource",
        UntagResourceRequest.class,
        r -> {
          backend.untagResource(r.resourceArn(), r.tagKeys());
          return new EmptyResponse();
        });
  }
}
