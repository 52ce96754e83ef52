package dev.cloudmapdns.server.api;

import static dev.cloudmapdns.server.api.ApiFixture.body;
import static dev.cloudmapdns.server.api.ApiFixture.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InstanceApiTest {
  private final ApiFixture api = new ApiFixture();
  private final String namespace = api.privateNamespace("app.local");

  @Test
  void registersAnInstanceAsAnOperationWithAllTargets() {
    String service = api.aService(namespace, "web");
    String operationId = api.register(service, "i-1", ipv4("127.0.0.10"));
    JsonNode operation = api.ok("GetOperation", body("OperationId", operationId)).path("Operation");
    assertEquals("REGISTER_INSTANCE", operation.path("Type").asText());
    assertEquals("i-1", operation.path("Targets").path("INSTANCE").asText());
    assertEquals(service, operation.path("Targets").path("SERVICE").asText());
    assertEquals(namespace, operation.path("Targets").path("NAMESPACE").asText());

    JsonNode got = api.ok("GetInstance", body("ServiceId", service, "InstanceId", "i-1"));
    assertEquals("123456789012", got.path("ResourceOwner").asText());
    assertEquals(
        "127.0.0.10", got.path("Instance").path("Attributes").path("AWS_INSTANCE_IPV4").asText());
    assertEquals(
        1, api.ok("GetService", body("Id", service)).path("Service").path("InstanceCount").asInt());
  }

  @Test
  void registeringAnExistingIdUpdatesIt() {
    String service = api.aService(namespace, "web");
    api.register(service, "i-1", ipv4("127.0.0.10"));
    api.register(service, "i-1", Map.of("AWS_INSTANCE_IPV4", "127.0.0.11", "color", "blue"));
    JsonNode instances = api.ok("ListInstances", body("ServiceId", service)).path("Instances");
    assertEquals(1, instances.size());
    assertEquals(
        "127.0.0.11", instances.get(0).path("Attributes").path("AWS_INSTANCE_IPV4").asText());
  }

  @Test
  void enforcesTheAttributesEachRecordTypeNeeds() {
    String service = api.aService(namespace, "web");
    String message =
        api.error(
            "InvalidInput",
            "RegisterInstance",
            body(
                "ServiceId",
                service,
                "InstanceId",
                "i-1",
                "Attributes",
                Map.of("AWS_INSTANCE_IPV6", "::1")));
    assertTrue(message.contains("AWS_INSTANCE_IPV4"), message);
    api.error(
        "InvalidInput",
        "RegisterInstance",
        body("ServiceId", service, "InstanceId", "i 1", "Attributes", ipv4("127.0.0.1")));
    api.error(
        "InvalidInput",
        "RegisterInstance",
        body(
            "ServiceId",
            service,
            "InstanceId",
            "i-1",
            "Attributes",
            Map.of("AWS_INSTANCE_IPV4", "300.1.1.1")));
    api.error("InvalidInput", "RegisterInstance", body("ServiceId", service, "InstanceId", "i-1"));
    api.error(
        "ServiceNotFound",
        "RegisterInstance",
        body(
            "ServiceId",
            "srv-0000000000000000",
            "InstanceId",
            "i-1",
            "Attributes",
            ipv4("127.0.0.1")));
  }

  @Test
  void creatorRequestIdMakesARegistrationRetrySafe() {
    String service = api.aService(namespace, "web");
    Map<String, Object> request =
        body(
            "ServiceId",
            service,
            "InstanceId",
            "i-1",
            "CreatorRequestId",
            "r-1",
            "Attributes",
            ipv4("127.0.0.1"));
    String first = api.ok("RegisterInstance", request).path("OperationId").asText();
    assertEquals(first, api.ok("RegisterInstance", request).path("OperationId").asText());
    JsonNode duplicate =
        ApiFixture.read(
            api.call(
                "RegisterInstance",
                body(
                    "ServiceId",
                    service,
                    "InstanceId",
                    "i-2",
                    "CreatorRequestId",
                    "r-1",
                    "Attributes",
                    ipv4("127.0.0.2"))));
    assertEquals("DuplicateRequest", duplicate.path("__type").asText());
    assertEquals(first, duplicate.path("DuplicateOperationId").asText());
  }

  @Test
  void refusesTheThousandAndFirstInstance() {
    String service = api.aService(namespace, "web");
    for (int i = 0; i < 1000; i++) {
      api.registry.registerInstance(service, "i-" + i, ipv4("127.0.0.1"), null);
    }
    api.error(
        "ResourceLimitExceeded",
        "RegisterInstance",
        body("ServiceId", service, "InstanceId", "i-1000", "Attributes", ipv4("127.0.0.1")));
    api.register(service, "i-999", ipv4("127.0.0.2"));
  }

  @Test
  void deregistersAndThenNoLongerFindsTheInstance() {
    String service = api.aService(namespace, "web");
    api.register(service, "i-1", ipv4("127.0.0.10"));
    String operationId =
        api.ok("DeregisterInstance", body("ServiceId", service, "InstanceId", "i-1"))
            .path("OperationId")
            .asText();
    assertEquals(
        "DEREGISTER_INSTANCE",
        api.ok("GetOperation", body("OperationId", operationId))
            .path("Operation")
            .path("Type")
            .asText());
    api.error("InstanceNotFound", "GetInstance", body("ServiceId", service, "InstanceId", "i-1"));
    api.error(
        "InstanceNotFound", "DeregisterInstance", body("ServiceId", service, "InstanceId", "i-1"));
    api.error(
        "ServiceNotFound",
        "DeregisterInstance",
        body("ServiceId", "srv-0000000000000000", "InstanceId", "i-1"));
    api.error(
        "ServiceNotFound",
        "GetInstance",
        body("ServiceId", "srv-0000000000000000", "InstanceId", "i-1"));
  }

  @Test
  void pagesThroughAllInstances() {
    String service = api.aService(namespace, "web");
    for (int i = 0; i < 260; i++) {
      api.registry.registerInstance(service, "i-" + i, ipv4("127.0.0.1"), null);
    }
    Set<String> seen = new HashSet<>();
    String token = null;
    int pages = 0;
    do {
      Map<String, Object> request = body("ServiceId", service);
      if (token != null) {
        request.put("NextToken", token);
      }
      JsonNode page = api.ok("ListInstances", request);
      page.path("Instances").forEach(i -> assertTrue(seen.add(i.path("Id").asText())));
      token = page.path("NextToken").isMissingNode() ? null : page.path("NextToken").asText();
      pages++;
    } while (token != null);
    assertEquals(260, seen.size());
    assertEquals(3, pages);
    api.error("ServiceNotFound", "ListInstances", body("ServiceId", "srv-0000000000000000"));
    api.error("InvalidInput", "ListInstances", body("ServiceId", service, "MaxResults", 101));
  }

  @Test
  void customHealthDecidesAndIsReported() {
    String service = api.customHealthService(namespace, "web");
    api.register(service, "i-1", ipv4("127.0.0.10"));
    api.register(
        service,
        "i-2",
        Map.of("AWS_INSTANCE_IPV4", "127.0.0.11", "AWS_INIT_HEALTH_STATUS", "UNHEALTHY"));
    JsonNode status = api.ok("GetInstancesHealthStatus", body("ServiceId", service)).path("Status");
    assertEquals("HEALTHY", status.path("i-1").asText());
    assertEquals("UNHEALTHY", status.path("i-2").asText());

    api.ok(
        "UpdateInstanceCustomHealthStatus",
        body("ServiceId", service, "InstanceId", "i-1", "Status", "UNHEALTHY"));
    JsonNode one =
        api.ok("GetInstancesHealthStatus", body("ServiceId", service, "Instances", List.of("i-1")))
            .path("Status");
    assertEquals(1, one.size());
    assertEquals("UNHEALTHY", one.path("i-1").asText());
    api.error(
        "InstanceNotFound",
        "GetInstancesHealthStatus",
        body("ServiceId", service, "Instances", List.of("i-9")));
    api.error(
        "InstanceNotFound",
        "UpdateInstanceCustomHealthStatus",
        body("ServiceId", service, "InstanceId", "i-9", "Status", "HEALTHY"));
    api.error(
        "ServiceNotFound", "GetInstancesHealthStatus", body("ServiceId", "srv-0000000000000000"));
  }

  @Test
  void customHealthUpdatesNeedACustomHealthService() {
    String service = api.aService(namespace, "web");
    api.register(service, "i-1", ipv4("127.0.0.10"));
    api.error(
        "CustomHealthNotFound",
        "UpdateInstanceCustomHealthStatus",
        body("ServiceId", service, "InstanceId", "i-1", "Status", "UNHEALTHY"));
    api.error(
        "ServiceNotFound",
        "UpdateInstanceCustomHealthStatus",
        body("ServiceId", "srv-0000000000000000", "InstanceId", "i-1", "Status", "UNHEALTHY"));
  }
}
