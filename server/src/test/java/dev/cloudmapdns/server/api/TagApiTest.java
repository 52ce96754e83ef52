package dev.cloudmapdns.server.api;

import static dev.cloudmapdns.server.api.ApiFixture.body;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TagApiTest {
  private final ApiFixture api = new ApiFixture();

  private String serviceArn() {
    String ns = api.privateNamespace("app.local");
    String id = api.aService(ns, "web");
    return api.ok("GetService", body("Id", id)).path("Service").path("Arn").asText();
  }

  @Test
  void tagsAndUntagsAService() {
    String arn = serviceArn();
    api.ok(
        "TagResource",
        body(
            "ResourceARN",
            arn,
            "Tags",
            List.of(body("Key", "team", "Value", "core"), body("Key", "env", "Value", ""))));
    JsonNode tags = api.ok("ListTagsForResource", body("ResourceARN", arn)).path("Tags");
    assertEquals(2, tags.size());
    api.ok(
        "TagResource",
        body("ResourceARN", arn, "Tags", List.of(body("Key", "team", "Value", "edge"))));
    api.ok("UntagResource", body("ResourceARN", arn, "TagKeys", List.of("env", "absent")));
    tags = api.ok("ListTagsForResource", body("ResourceARN", arn)).path("Tags");
    assertEquals(1, tags.size());
    assertEquals("edge", tags.get(0).path("Value").asText());
  }

  @Test
  void refusesUnknownResourcesAndTooManyTags() {
    String arn = serviceArn();
    String missing = "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-0000000000000000";
    api.error("ResourceNotFoundException", "ListTagsForResource", body("ResourceARN", missing));
    api.error(
        "ResourceNotFoundException",
        "TagResource",
        body("ResourceARN", missing, "Tags", List.of(body("Key", "k", "Value", "v"))));
    api.error(
        "ResourceNotFoundException",
        "UntagResource",
        body("ResourceARN", missing, "TagKeys", List.of("k")));
    List<Object> fifty = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      fifty.add(body("Key", "k" + i, "Value", "v"));
    }
    api.ok("TagResource", body("ResourceARN", arn, "Tags", fifty));
    api.error(
        "TooManyTagsException",
        "TagResource",
        body("ResourceARN", arn, "Tags", List.of(body("Key", "one-more", "Value", "v"))));
    api.error(
        "InvalidInput",
        "TagResource",
        body("ResourceARN", arn, "Tags", List.of(body("Key", "k".repeat(129), "Value", "v"))));
    api.error(
        "InvalidInput", "TagResource", body("ResourceARN", arn, "Tags", List.of(body("Key", "k"))));
  }
}
