package dev.cloudmapdns.server.api;

import static dev.cloudmapdns.server.api.ApiFixture.body;
import static dev.cloudmapdns.server.api.ApiFixture.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiscoveryApiTest {
  private final ApiFixture api = new ApiFixture();
  private final String namespace = api.privateNamespace("app.local");

  private List<String> discovered(Map<String, Object> extra) {
    Map<String, Object> request = body("NamespaceName", "app.local", "ServiceName", "web");
    request.putAll(extra);
    List<String> ids = new ArrayList<>();
    api.ok("DiscoverInstances", request)
        .path("Instances")
        .forEach(i -> ids.add(i.path("InstanceId").asText()));
    ids.sort(null);
    return ids;
  }

  @Test
  void discoversInstancesWithNamesHealthAndAttributes() {
    String service = api.aService(namespace, "web");
    api.register(service, "i-1", ipv4("127.0.0.10"));
    JsonNode answer =
        api.ok("DiscoverInstances", body("NamespaceName", "app.local", "ServiceName", "web"));
    JsonNode instance = answer.path("Instances").get(0);
    assertEquals("i-1", instance.path("InstanceId").asText());
    assertEquals("app.local", instance.path("NamespaceName").asText());
    assertEquals("web", instance.path("ServiceName").asText());
    assertEquals("HEALTHY", instance.path("HealthStatus").asText());
    assertEquals("127.0.0.10", instance.path("Attributes").path("AWS_INSTANCE_IPV4").asText());
    assertTrue(answer.path("InstancesRevision").isIntegralNumber());
  }

  @Test
  void queryParametersMustAllMatchAndOptionalParametersApplyOnlyWhenSomethingMatches() {
    String service = api.aService(namespace, "web");
    api.register(
        service, "blue-a", Map.of("AWS_INSTANCE_IPV4", "127.0.0.1", "color", "blue", "az", "a"));
    api.register(
        service, "blue-b", Map.of("AWS_INSTANCE_IPV4", "127.0.0.2", "color", "blue", "az", "b"));
    api.register(
        service, "green-a", Map.of("AWS_INSTANCE_IPV4", "127.0.0.3", "color", "green", "az", "a"));

    assertEquals(
        List.of("blue-a", "blue-b"), discovered(body("QueryParameters", Map.of("color", "blue"))));
    assertEquals(
        List.of("blue-a"), discovered(body("QueryParameters", Map.of("color", "blue", "az", "a"))));
    assertEquals(
        List.of("blue-b"),
        discovered(
            body(
                "QueryParameters",
                Map.of("color", "blue"),
                "OptionalParameters",
                Map.of("az", "b"))));
    assertEquals(
        List.of("blue-a", "blue-b"),
        discovered(
            body(
                "QueryParameters",
                Map.of("color", "blue"),
                "OptionalParameters",
                Map.of("az", "z"))));
    assertEquals(List.of(), discovered(body("QueryParameters", Map.of("color", "red"))));
    assertEquals(1, discovered(body("MaxResults", 1)).size());
  }

  @Test
  void healthStatusFiltersServicesWithHealthChecks() {
    String service = api.customHealthService(namespace, "web");
    api.register(service, "up", ipv4("127.0.0.1"));
    api.register(
        service,
        "down",
        Map.of("AWS_INSTANCE_IPV4", "127.0.0.2", "AWS_INIT_HEALTH_STATUS", "UNHEALTHY"));
    assertEquals(List.of("up"), discovered(body()), "HEALTHY by default");
    assertEquals(List.of("up"), discovered(body("HealthStatus", "HEALTHY")));
    assertEquals(List.of("down"), discovered(body("HealthStatus", "UNHEALTHY")));
    assertEquals(List.of("down", "up"), discovered(body("HealthStatus", "ALL")));
    assertEquals(List.of("up"), discovered(body("HealthStatus", "HEALTHY_OR_ELSE_ALL")));
    api.ok(
        "UpdateInstanceCustomHealthStatus",
        body("ServiceId", service, "InstanceId", "up", "Status", "UNHEALTHY"));
    assertEquals(List.of(), discovered(body()));
    assertEquals(List.of("down", "up"), discovered(body("HealthStatus", "HEALTHY_OR_ELSE_ALL")));
    api.error(
        "InvalidInput",
        "DiscoverInstances",
        body("NamespaceName", "app.local", "ServiceName", "web", "HealthStatus", "SOMETIMES"));
  }

  @Test
  void healthStatusIsIgnoredForServicesWithoutHealthConfig() {
    String service = api.aService(namespace, "web");
    api.register(service, "i-1", ipv4("127.0.0.1"));
    assertEquals(List.of("i-1"), discovered(body("HealthStatus", "UNHEALTHY")));
  }

  @Test
  void revisionGrowsWithRegistrations() {
    String service = api.aService(namespace, "web");
    Map<String, Object> names = body("NamespaceName", "app.local", "ServiceName", "web");
    long before = api.ok("DiscoverInstancesRevision", names).path("InstancesRevision").asLong();
    api.register(service, "i-1", ipv4("127.0.0.1"));
    long registered = api.ok("DiscoverInstancesRevision", names).path("InstancesRevision").asLong();
    assertTrue(registered > before);
    assertEquals(registered, api.ok("DiscoverInstances", names).path("InstancesRevision").asLong());
    api.ok("DeregisterInstance", body("ServiceId", service, "InstanceId", "i-1"));
    assertTrue(
        api.ok("DiscoverInstancesRevision", names).path("InstancesRevision").asLong() > registered);
  }

  @Test
  void namesAMissingNamespaceOrService() {
    api.aService(namespace, "web");
    api.error(
        "NamespaceNotFound",
        "DiscoverInstances",
        body("NamespaceName", "nope.local", "ServiceName", "web"));
    api.error(
        "ServiceNotFound",
        "DiscoverInstances",
        body("NamespaceName", "app.local", "ServiceName", "api"));
    api.error(
        "NamespaceNotFound",
        "DiscoverInstancesRevision",
        body("NamespaceName", "nope.local", "ServiceName", "web"));
    api.error(
        "ServiceNotFound",
        "DiscoverInstancesRevision",
        body("NamespaceName", "app.local", "ServiceName", "api"));
    api.error(
        "InvalidInput",
        "DiscoverInstances",
        body("NamespaceName", "app.local", "ServiceName", "web", "MaxResults", 1001));
  }
}
