package dev.cloudmapdns.server.api;

import static dev.cloudmapdns.server.api.ApiFixture.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceApiTest {
  private final ApiFixture api = new ApiFixture();

  @Test
  void createsAServiceAsTheSeedDoes() {
    String ns = api.privateNamespace("app.local");
    JsonNode service =
        api.ok(
                "CreateService",
                body(
                    "Name",
                    "backend-api",
                    "DnsConfig",
                    body("NamespaceId", ns, "DnsRecords", List.of(body("Type", "A", "TTL", 60))),
                    "HealthCheckConfig",
                    body("Type", "HTTP", "ResourcePath", "/health", "FailureThreshold", 3)))
            .path("Service");
    assertTrue(service.path("Id").asText().matches("srv-[a-z0-9]{16}"));
    assertEquals(ns, service.path("NamespaceId").asText(), "top-level NamespaceId always reported");
    assertEquals("MULTIVALUE", service.path("DnsConfig").path("RoutingPolicy").asText());
    assertEquals("DNS_HTTP", service.path("Type").asText());
    assertEquals("/health", service.path("HealthCheckConfig").path("ResourcePath").asText());
    assertEquals(3, service.path("HealthCheckConfig").path("FailureThreshold").asInt());
    assertEquals(0, service.path("InstanceCount").asInt());
    assertEquals(
        1, api.ok("GetNamespace", body("Id", ns)).path("Namespace").path("ServiceCount").asInt());
  }

  @Test
  void reportsCloudMapsDefaultsSoThatFieldsRoundTrip() {
    String ns = api.privateNamespace("app.local");
    JsonNode custom =
        api.ok("GetService", body("Id", api.customHealthService(ns, "web"))).path("Service");
    assertEquals(1, custom.path("HealthCheckCustomConfig").path("FailureThreshold").asInt());
    String http = api.httpNamespace("billing");
    JsonNode apiOnly =
        api.ok(
                "CreateService",
                body(
                    "Name", "pay", "NamespaceId", http, "HealthCheckConfig", body("Type", "HTTPS")))
            .path("Service");
    assertEquals("HTTP", apiOnly.path("Type").asText());
    assertEquals("/", apiOnly.path("HealthCheckConfig").path("ResourcePath").asText());
    assertEquals(1, apiOnly.path("HealthCheckConfig").path("FailureThreshold").asInt());
  }

  @Test
  void refusesServicesThatBreakTheRules() {
    String ns = api.privateNamespace("app.local");
    api.error(
        "InvalidInput",
        "CreateService",
        body(
            "Name",
            "web",
            "NamespaceId",
            ns,
            "DnsConfig",
            body("DnsRecords", List.of(body("Type", "CNAME", "TTL", 60)))));
    api.error("InvalidInput", "CreateService", body("Name", "bad name!", "NamespaceId", ns));
    api.error("InvalidInput", "CreateService", body("Name", "web"));
    api.error(
        "InvalidInput",
        "CreateService",
        body(
            "Name",
            "web",
            "NamespaceId",
            ns,
            "DnsConfig",
            body("DnsRecords", List.of(body("Type", "MX", "TTL", 60)))));
    api.error(
        "InvalidInput",
        "CreateService",
        body(
            "Name",
            "web",
            "NamespaceId",
            ns,
            "HealthCheckConfig",
            body("Type", "TCP"),
            "HealthCheckCustomConfig",
            body()));
    api.error(
        "NamespaceNotFound",
        "CreateService",
        body("Name", "web", "NamespaceId", "ns-0000000000000000"));
  }

  @Test
  void refusesASecondServiceWhoseNameDiffersOnlyByCase() {
    String ns = api.privateNamespace("app.local");
    api.aService(ns, "web");
    api.error(
        "ServiceAlreadyExists",
        "CreateService",
        body(
            "Name",
            "WEB",
            "NamespaceId",
            ns,
            "DnsConfig",
            body("DnsRecords", List.of(body("Type", "A", "TTL", 5)))));
  }

  @Test
  void namesTheExistingServiceAndItsCreatorRequestIdWhenRefusingTheName() {
    String ns = api.httpNamespace("app");
    JsonNode existing =
        api.ok("CreateService", body("Name", "web", "NamespaceId", ns, "CreatorRequestId", "first"))
            .path("Service");
    JsonNode refused =
        ApiFixture.read(
            api.call(
                "CreateService",
                body("Name", "web", "NamespaceId", ns, "CreatorRequestId", "second")));
    assertEquals("ServiceAlreadyExists", refused.path("__type").asText());
    assertEquals(existing.path("Id").asText(), refused.path("ServiceId").asText());
    assertEquals(existing.path("Arn").asText(), refused.path("ServiceArn").asText());
    assertEquals("first", refused.path("CreatorRequestId").asText());
  }

  @Test
  void answersARetriedCreateServiceWithTheSameService() {
    String ns = api.privateNamespace("app.local");
    Map<String, Object> request =
        body(
            "Name",
            "web",
            "NamespaceId",
            ns,
            "CreatorRequestId",
            "c-1",
            "DnsConfig",
            body("DnsRecords", List.of(body("Type", "A", "TTL", 5))));
    String first = api.ok("CreateService", request).path("Service").path("Id").asText();
    assertEquals(first, api.ok("CreateService", request).path("Service").path("Id").asText());
    assertEquals(1, api.ok("ListServices", body()).path("Services").size());
  }

  @Test
  void updatesRecordsDescriptionAndHealthCheck() {
    String ns = api.privateNamespace("app.local");
    String id =
        api.ok(
                "CreateService",
                body(
                    "Name",
                    "web",
                    "NamespaceId",
                    ns,
                    "DnsConfig",
                    body("DnsRecords", List.of(body("Type", "A", "TTL", 60))),
                    "HealthCheckConfig",
                    body("Type", "TCP")))
            .path("Service")
            .path("Id")
            .asText();
    String operationId =
        api.ok(
                "UpdateService",
                body(
                    "Id",
                    id,
                    "Service",
                    body(
                        "Description",
                        "front",
                        "DnsConfig",
                        body("DnsRecords", List.of(body("Type", "A", "TTL", 10))))))
            .path("OperationId")
            .asText();
    JsonNode operation = api.ok("GetOperation", body("OperationId", operationId)).path("Operation");
    assertEquals("UPDATE_SERVICE", operation.path("Type").asText());
    assertEquals(id, operation.path("Targets").path("SERVICE").asText());
    JsonNode service = api.ok("GetService", body("Id", id)).path("Service");
    assertEquals("front", service.path("Description").asText());
    assertEquals(10, service.path("DnsConfig").path("DnsRecords").get(0).path("TTL").asInt());
    assertFalse(service.has("HealthCheckConfig"), "a change without HealthCheckConfig removes it");
    api.error(
        "ServiceNotFound", "UpdateService", body("Id", "srv-0000000000000000", "Service", body()));
    api.error(
        "InvalidInput",
        "UpdateService",
        body("Id", id, "Service", body("DnsConfig", body("DnsRecords", List.of()))));
  }

  @Test
  void getsAndDeletesServicesByIdOrArn() {
    String ns = api.privateNamespace("app.local");
    String id = api.aService(ns, "web");
    String arn = api.ok("GetService", body("Id", id)).path("Service").path("Arn").asText();
    assertEquals("arn:aws:servicediscovery:us-east-1:123456789012:service/" + id, arn);
    api.register(id, "i-1", ApiFixture.ipv4("127.0.0.1"));
    api.error("ResourceInUse", "DeleteService", body("Id", arn));
    api.ok("DeregisterInstance", body("ServiceId", arn, "InstanceId", "i-1"));
    api.ok("DeleteService", body("Id", arn));
    api.error("ServiceNotFound", "GetService", body("Id", id));
    api.error("ServiceNotFound", "DeleteService", body("Id", id));
  }

  @Test
  void listsServicesByNamespace() {
    String a = api.privateNamespace("a.local");
    String b = api.privateNamespace("b.local");
    api.aService(a, "one");
    api.aService(a, "two");
    api.aService(b, "three");
    JsonNode inA =
        api.ok(
            "ListServices",
            body(
                "Filters",
                List.of(body("Name", "NAMESPACE_ID", "Values", List.of(a), "Condition", "EQ"))));
    assertEquals(2, inA.path("Services").size());
    assertFalse(
        inA.path("Services").get(0).has("NamespaceId"), "ServiceSummary has no NamespaceId");
    String arnB = api.ok("GetNamespace", body("Id", b)).path("Namespace").path("Arn").asText();
    JsonNode inB =
        api.ok(
            "ListServices",
            body("Filters", List.of(body("Name", "NAMESPACE_ID", "Values", List.of(arnB)))));
    assertEquals("three", inB.path("Services").get(0).path("Name").asText());
    JsonNode page = api.ok("ListServices", body("MaxResults", 2));
    assertEquals(2, page.path("Services").size());
    JsonNode rest = api.ok("ListServices", body("NextToken", page.path("NextToken").asText()));
    assertEquals(1, rest.path("Services").size());
    assertTrue(rest.path("NextToken").isMissingNode());
  }

  @Test
  void keepsServiceAttributesWithinTheLimit() {
    String ns = api.privateNamespace("app.local");
    String id = api.aService(ns, "web");
    api.ok(
        "UpdateServiceAttributes",
        body("ServiceId", id, "Attributes", Map.of("team", "core", "tier", "1")));
    JsonNode attributes =
        api.ok("GetServiceAttributes", body("ServiceId", id)).path("ServiceAttributes");
    assertEquals("core", attributes.path("Attributes").path("team").asText());
    assertTrue(attributes.path("ServiceArn").asText().endsWith("service/" + id));
    api.ok("DeleteServiceAttributes", body("ServiceId", id, "Attributes", List.of("team")));
    assertFalse(
        api.ok("GetServiceAttributes", body("ServiceId", id))
            .path("ServiceAttributes")
            .path("Attributes")
            .has("team"));

    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 29; i++) {
      many.put("k" + i, "v");
    }
    api.ok("UpdateServiceAttributes", body("ServiceId", id, "Attributes", many));
    api.error(
        "ServiceAttributesLimitExceededException",
        "UpdateServiceAttributes",
        body("ServiceId", id, "Attributes", Map.of("one-more", "v", "and-another", "v")));
    api.error("ServiceNotFound", "GetServiceAttributes", body("ServiceId", "srv-0000000000000000"));
    api.error(
        "ServiceNotFound",
        "UpdateServiceAttributes",
        body("ServiceId", "srv-0000000000000000", "Attributes", Map.of("a", "b")));
    api.error(
        "ServiceNotFound",
        "DeleteServiceAttributes",
        body("ServiceId", "srv-0000000000000000", "Attributes", List.of("a")));
    api.error(
        "InvalidInput", "DeleteServiceAttributes", body("ServiceId", id, "Attributes", List.of()));
  }
}
