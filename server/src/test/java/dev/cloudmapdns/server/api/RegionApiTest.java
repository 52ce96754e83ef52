package dev.cloudmapdns.server.api;

import static dev.cloudmapdns.server.api.ApiFixture.body;
import static dev.cloudmapdns.server.api.ApiFixture.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegionApiTest {
  private final ApiFixture east = new ApiFixture();
  private final ApiFixture west = east.inRegion("eu-west-1");

  @Test
  void resourcesTakeTheRegionOfTheCredentialScope() {
    String namespace = west.privateNamespace("west.local");
    JsonNode got = west.ok("GetNamespace", body("Id", namespace)).path("Namespace");
    assertTrue(
        got.path("Arn").asText().startsWith("arn:aws:servicediscovery:eu-west-1:123456789012:"),
        got.toString());
    String service = west.aService(namespace, "web");
    assertTrue(
        west.ok("GetService", body("Id", service))
            .path("Service")
            .path("Arn")
            .asText()
            .startsWith("arn:aws:servicediscovery:eu-west-1:"));
    west.register(service, "i-1", ipv4("127.0.0.1"));
    assertEquals(
        1,
        west.ok("DiscoverInstances", body("NamespaceName", "west.local", "ServiceName", "web"))
            .path("Instances")
            .size());
  }

  @Test
  void resourcesOfAnotherRegionAreNotFound() {
    String namespace = west.privateNamespace("west.local");
    String service = west.aService(namespace, "web");
    String operation =
        west.ok("ListOperations", body()).path("Operations").get(0).path("Id").asText();
    String arn = west.ok("GetService", body("Id", service)).path("Service").path("Arn").asText();

    east.error("NamespaceNotFound", "GetNamespace", body("Id", namespace));
    east.error("NamespaceNotFound", "DeleteNamespace", body("Id", namespace));
    east.error("ServiceNotFound", "GetService", body("Id", service));
    east.error(
        "ServiceNotFound",
        "RegisterInstance",
        body("ServiceId", service, "InstanceId", "i-1", "Attributes", ipv4("127.0.0.1")));
    east.error("OperationNotFound", "GetOperation", body("OperationId", operation));
    east.error("ResourceNotFoundException", "ListTagsForResource", body("ResourceARN", arn));
    east.error(
        "NamespaceNotFound",
        "DiscoverInstances",
        body("NamespaceName", "west.local", "ServiceName", "web"));
    assertEquals(0, east.ok("ListNamespaces", body()).path("Namespaces").size());
    assertEquals(0, east.ok("ListServices", body()).path("Services").size());
    assertEquals(0, east.ok("ListOperations", body()).path("Operations").size());
    assertEquals(1, west.ok("ListNamespaces", body()).path("Namespaces").size());
  }

  @Test
  void aDnsNameIsTakenInEveryRegionBecauseDnsServesOneView() {
    west.privateNamespace("app.local");
    east.error(
        "NamespaceAlreadyExists",
        "CreatePrivateDnsNamespace",
        body("Name", "app.local", "Vpc", "vpc-1"));
  }

  @Test
  void unsignedRequestsUseTheConfiguredRegion() {
    String namespace = east.httpNamespace("plain");
    assertTrue(
        east.ok("GetNamespace", body("Id", namespace))
            .path("Namespace")
            .path("Arn")
            .asText()
            .contains(":us-east-1:"));
    assertEquals(
        1,
        east.inRegion("us-east-1")
            .ok("ListNamespaces", body("Filters", List.of()))
            .path("Namespaces")
            .size());
  }
}
