package dev.cloudmapdns.server.api;

import static dev.cloudmapdns.server.api.ApiFixture.body;
import static dev.cloudmapdns.server.api.ApiFixture.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperationApiTest {
  private final ApiFixture api = new ApiFixture();

  private Set<String> listed(Object... filters) {
    Set<String> ids = new HashSet<>();
    api.ok("ListOperations", body("Filters", List.of(filters)))
        .path("Operations")
        .forEach(
            o -> {
              assertEquals("SUCCESS", o.path("Status").asText());
              ids.add(o.path("Id").asText());
            });
    return ids;
  }

  @Test
  void reportsAnOperationWithItsTimesAndTargets() {
    String id = api.ok("CreateHttpNamespace", body("Name", "billing")).path("OperationId").asText();
    JsonNode operation = api.ok("GetOperation", body("OperationId", id)).path("Operation");
    assertEquals(id, operation.path("Id").asText());
    assertEquals("123456789012", operation.path("OwnerAccount").asText());
    assertTrue(operation.path("UpdateDate").asDouble() >= operation.path("CreateDate").asDouble());
    api.error("OperationNotFound", "GetOperation", body("OperationId", "nope"));
  }

  @Test
  void filtersOperationsByNamespaceServiceStatusTypeAndDate() {
    String ns = api.privateNamespace("app.local");
    String other = api.privateNamespace("other.local");
    String service = api.aService(ns, "web");
    String registered = api.register(service, "i-1", ipv4("127.0.0.1"));
    String deregistered =
        api.ok("DeregisterInstance", body("ServiceId", service, "InstanceId", "i-1"))
            .path("OperationId")
            .asText();
    assertEquals(4, listed().size());
    assertEquals(3, listed(body("Name", "NAMESPACE_ID", "Values", List.of(ns))).size());
    assertEquals(1, listed(body("Name", "NAMESPACE_ID", "Values", List.of(other))).size());
    assertEquals(
        Set.of(registered, deregistered),
        listed(body("Name", "SERVICE_ID", "Values", List.of(service))));
    assertEquals(
        Set.of(registered), listed(body("Name", "TYPE", "Values", List.of("REGISTER_INSTANCE"))));
    assertEquals(
        Set.of(registered, deregistered),
        listed(
            body(
                "Name",
                "TYPE",
                "Values",
                List.of("REGISTER_INSTANCE", "DEREGISTER_INSTANCE"),
                "Condition",
                "IN")));
    assertEquals(4, listed(body("Name", "STATUS", "Values", List.of("SUCCESS"))).size());
    assertEquals(0, listed(body("Name", "STATUS", "Values", List.of("FAIL"))).size());
    long now = System.currentTimeMillis() / 1000;
    assertEquals(
        4,
        listed(
                body(
                    "Name",
                    "UPDATE_DATE",
                    "Values",
                    List.of(String.valueOf(now - 60), String.valueOf(now + 60)),
                    "Condition",
                    "BETWEEN"))
            .size());
    assertEquals(
        0,
        listed(body("Name", "UPDATE_DATE", "Values", List.of("0", "1000"), "Condition", "BETWEEN"))
            .size());
    api.error(
        "InvalidInput",
        "ListOperations",
        body("Filters", List.of(body("Name", "UPDATE_DATE", "Values", List.of("1")))));
    api.error(
        "InvalidInput",
        "ListOperations",
        body(
            "Filters",
            List.of(body("Name", "NAMESPACE_ID", "Values", List.of(ns), "Condition", "IN"))));
    api.error(
        "InvalidInput",
        "ListOperations",
        body(
            "Filters",
            List.of(
                body(
                    "Name",
                    "UPDATE_DATE",
                    "Values",
                    List.of("yesterday", "today"),
                    "Condition",
                    "BETWEEN"))));
  }

  @Test
  void pagesOperations() {
    for (int i = 0; i < 5; i++) {
      api.httpNamespace("n" + i);
    }
    JsonNode first = api.ok("ListOperations", body("MaxResults", 2));
    assertEquals(2, first.path("Operations").size());
    Set<String> all = new HashSet<>();
    first.path("Operations").forEach(o -> all.add(o.path("Id").asText()));
    String token = first.path("NextToken").asText();
    while (token != null) {
      JsonNode page = api.ok("ListOperations", body("MaxResults", 2, "NextToken", token));
      page.path("Operations").forEach(o -> all.add(o.path("Id").asText()));
      token = page.path("NextToken").isMissingNode() ? null : page.path("NextToken").asText();
    }
    assertEquals(5, all.size());
  }
}
