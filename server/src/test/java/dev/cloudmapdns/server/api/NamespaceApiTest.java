package dev.cloudmapdns.server.api;

import static dev.cloudmapdns.server.api.ApiFixture.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamespaceApiTest {
  private final ApiFixture api = new ApiFixture();

  @Test
  void createsAPrivateDnsNamespaceAsAnOperationThatHasSucceeded() {
    String operationId =
        api.ok("CreatePrivateDnsNamespace", body("Name", "app.local", "Vpc", "vpc-default"))
            .path("OperationId")
            .asText();
    JsonNode operation = api.ok("GetOperation", body("OperationId", operationId)).path("Operation");
    assertEquals("CREATE_NAMESPACE", operation.path("Type").asText());
    assertEquals("SUCCESS", operation.path("Status").asText());
    assertTrue(operation.path("CreateDate").isNumber());
    String id = operation.path("Targets").path("NAMESPACE").asText();
    assertTrue(id.matches("ns-[a-z0-9]{16}"), id);

    JsonNode namespace = api.ok("GetNamespace", body("Id", id)).path("Namespace");
    assertEquals("app.local", namespace.path("Name").asText());
    assertEquals("DNS_PRIVATE", namespace.path("Type").asText());
    assertEquals(
        "arn:aws:servicediscovery:us-east-1:123456789012:namespace/" + id,
        namespace.path("Arn").asText());
    assertEquals("123456789012", namespace.path("ResourceOwner").asText());
    assertEquals(0, namespace.path("ServiceCount").asInt());
    assertEquals(
        15, namespace.path("Properties").path("DnsProperties").path("SOA").path("TTL").asInt());
    assertEquals(
        "app.local", namespace.path("Properties").path("HttpProperties").path("HttpName").asText());
  }

  @Test
  void createsHttpAndPublicNamespaces() {
    String http = api.httpNamespace("billing");
    JsonNode httpNs = api.ok("GetNamespace", body("Id", http)).path("Namespace");
    assertEquals("HTTP", httpNs.path("Type").asText());
    assertTrue(httpNs.path("Properties").path("DnsProperties").isMissingNode());

    api.ok(
        "CreatePublicDnsNamespace",
        body(
            "Name",
            "example.com",
            "Properties",
            body("DnsProperties", body("SOA", body("TTL", 300)))));
    JsonNode listed =
        api.ok(
            "ListNamespaces",
            body("Filters", List.of(body("Name", "TYPE", "Values", List.of("DNS_PUBLIC")))));
    assertEquals(1, listed.path("Namespaces").size());
    JsonNode pub = listed.path("Namespaces").get(0);
    assertEquals("example.com", pub.path("Name").asText());
    assertEquals(300, pub.path("Properties").path("DnsProperties").path("SOA").path("TTL").asInt());
  }

  @Test
  void getsANamespaceByItsArn() {
    String id = api.privateNamespace("app.local");
    String arn = api.ok("GetNamespace", body("Id", id)).path("Namespace").path("Arn").asText();
    assertEquals(id, api.ok("GetNamespace", body("Id", arn)).path("Namespace").path("Id").asText());
  }

  @Test
  void refusesASecondNamespaceOfTheSameNameInAnyCase() {
    api.privateNamespace("app.local");
    api.error(
        "NamespaceAlreadyExists",
        "CreatePrivateDnsNamespace",
        body("Name", "APP.local", "Vpc", "v"));
    api.error("NamespaceAlreadyExists", "CreateHttpNamespace", body("Name", "app.local"));
  }

  @Test
  void namesTheExistingNamespaceAndItsCreatorRequestIdWhenRefusingTheName() {
    String operationId =
        api.ok("CreateHttpNamespace", body("Name", "app.local", "CreatorRequestId", "first"))
            .path("OperationId")
            .asText();
    String existing =
        api.ok("GetOperation", body("OperationId", operationId))
            .path("Operation")
            .path("Targets")
            .path("NAMESPACE")
            .asText();
    JsonNode refused =
        ApiFixture.read(
            api.call(
                "CreateHttpNamespace", body("Name", "app.local", "CreatorRequestId", "second")));
    assertEquals("NamespaceAlreadyExists", refused.path("__type").asText());
    assertEquals(existing, refused.path("NamespaceId").asText());
    assertEquals("first", refused.path("CreatorRequestId").asText());

    String unnamed = api.privateNamespace("other.local");
    JsonNode withoutRequestId =
        ApiFixture.read(
            api.call("CreatePrivateDnsNamespace", body("Name", "OTHER.local", "Vpc", "vpc-1")));
    assertEquals(unnamed, withoutRequestId.path("NamespaceId").asText());
    assertTrue(withoutRequestId.path("CreatorRequestId").isMissingNode());
  }

  @Test
  void refusesInvalidNames() {
    api.error("InvalidInput", "CreatePrivateDnsNamespace", body("Name", "bad name", "Vpc", "v"));
    api.error("InvalidInput", "CreatePublicDnsNamespace", body("Name", "under_score.com"));
    api.error("InvalidInput", "CreatePrivateDnsNamespace", body("Name", "app.local"));
    String message =
        api.error(
            "InvalidInput",
            "CreateHttpNamespace",
            body("Name", "n", "Description", "d".repeat(1025)));
    assertTrue(message.contains("Description"), message);
  }

  @Test
  void answersARetryWithTheSameCreatorRequestIdWithTheSameOperation() {
    Map<String, Object> request =
        body("Name", "app.local", "Vpc", "v", "CreatorRequestId", "req-1");
    String first = api.ok("CreatePrivateDnsNamespace", request).path("OperationId").asText();
    String again = api.ok("CreatePrivateDnsNamespace", request).path("OperationId").asText();
    assertEquals(first, again);
    assertEquals(1, api.ok("ListNamespaces", body()).path("Namespaces").size());
    api.error(
        "DuplicateRequest",
        "CreatePrivateDnsNamespace",
        body("Name", "other.local", "Vpc", "v", "CreatorRequestId", "req-1"));
  }

  @Test
  void updatesDescriptionAndSoaTtl() {
    String dns = api.privateNamespace("app.local");
    String operationId =
        api.ok(
                "UpdatePrivateDnsNamespace",
                body(
                    "Id",
                    dns,
                    "Namespace",
                    body(
                        "Description",
                        "the app",
                        "Properties",
                        body("DnsProperties", body("SOA", body("TTL", 60))))))
            .path("OperationId")
            .asText();
    assertEquals(
        "UPDATE_NAMESPACE",
        api.ok("GetOperation", body("OperationId", operationId))
            .path("Operation")
            .path("Type")
            .asText());
    JsonNode namespace = api.ok("GetNamespace", body("Id", dns)).path("Namespace");
    assertEquals("the app", namespace.path("Description").asText());
    assertEquals(
        60, namespace.path("Properties").path("DnsProperties").path("SOA").path("TTL").asInt());

    String http = api.httpNamespace("billing");
    api.ok("UpdateHttpNamespace", body("Id", http, "Namespace", body("Description", "money")));
    assertEquals(
        "money",
        api.ok("GetNamespace", body("Id", http)).path("Namespace").path("Description").asText());
  }

  @Test
  void refusesUpdatesOfTheWrongKindOrOfMissingNamespaces() {
    String http = api.httpNamespace("billing");
    api.error(
        "InvalidInput",
        "UpdatePrivateDnsNamespace",
        body("Id", http, "Namespace", body("Description", "x")));
    api.error(
        "NamespaceNotFound",
        "UpdateHttpNamespace",
        body("Id", "ns-0000000000000000", "Namespace", body("Description", "x")));
    api.error("InvalidInput", "UpdatePublicDnsNamespace", body("Id", http));
  }

  @Test
  void updaterRequestIdMakesAnUpdateRetrySafe() {
    String http = api.httpNamespace("billing");
    Map<String, Object> update =
        body("Id", http, "UpdaterRequestId", "u-1", "Namespace", body("Description", "x"));
    String first = api.ok("UpdateHttpNamespace", update).path("OperationId").asText();
    assertEquals(first, api.ok("UpdateHttpNamespace", update).path("OperationId").asText());
    String other = api.httpNamespace("other");
    api.error(
        "DuplicateRequest",
        "UpdateHttpNamespace",
        body("Id", other, "UpdaterRequestId", "u-1", "Namespace", body("Description", "x")));
  }

  @Test
  void deletesAnEmptyNamespaceAndRefusesOneInUse() {
    String id = api.privateNamespace("app.local");
    String service = api.aService(id, "web");
    api.error("ResourceInUse", "DeleteNamespace", body("Id", id));
    api.ok("DeleteService", body("Id", service));
    String operationId = api.ok("DeleteNamespace", body("Id", id)).path("OperationId").asText();
    assertEquals(
        "DELETE_NAMESPACE",
        api.ok("GetOperation", body("OperationId", operationId))
            .path("Operation")
            .path("Type")
            .asText());
    api.error("NamespaceNotFound", "GetNamespace", body("Id", id));
    api.error("NamespaceNotFound", "DeleteNamespace", body("Id", id));
  }

  @Test
  void pagesAndFiltersTheNamespaceList() {
    for (int i = 0; i < 7; i++) {
      api.httpNamespace("team-" + i);
    }
    api.privateNamespace("app.local");
    List<String> names = new ArrayList<>();
    String token = null;
    do {
      Map<String, Object> request = body("MaxResults", 3);
      if (token != null) {
        request.put("NextToken", token);
      }
      JsonNode page = api.ok("ListNamespaces", request);
      assertTrue(page.path("Namespaces").size() <= 3);
      page.path("Namespaces").forEach(n -> names.add(n.path("Name").asText()));
      token = page.path("NextToken").isMissingNode() ? null : page.path("NextToken").asText();
    } while (token != null);
    assertEquals(8, names.size());
    assertEquals(8, names.stream().distinct().count());

    JsonNode prefixed =
        api.ok(
            "ListNamespaces",
            body(
                "Filters",
                List.of(
                    body("Name", "NAME", "Values", List.of("team-"), "Condition", "BEGINS_WITH"))));
    assertEquals(7, prefixed.path("Namespaces").size());
    assertFalse(prefixed.path("Namespaces").get(0).has("CreatorRequestId"));
    JsonNode exact =
        api.ok(
            "ListNamespaces",
            body("Filters", List.of(body("Name", "HTTP_NAME", "Values", List.of("app.local")))));
    assertEquals(1, exact.path("Namespaces").size());
    api.error(
        "InvalidInput",
        "ListNamespaces",
        body("Filters", List.of(body("Name", "NAME", "Values", List.of("a", "b")))));
    api.error(
        "InvalidInput",
        "ListNamespaces",
        body(
            "Filters",
            List.of(body("Name", "NAME", "Values", List.of("a"), "Condition", "BETWEEN"))));
    api.error("InvalidInput", "ListNamespaces", body("NextToken", "forged"));
  }

  @Test
  void tagsGivenAtCreationAreListed() {
    String operationId =
        api.ok(
                "CreateHttpNamespace",
                body("Name", "billing", "Tags", List.of(body("Key", "team", "Value", "pay"))))
            .path("OperationId")
            .asText();
    String id =
        api.ok("GetOperation", body("OperationId", operationId))
            .path("Operation")
            .path("Targets")
            .path("NAMESPACE")
            .asText();
    String arn = api.ok("GetNamespace", body("Id", id)).path("Namespace").path("Arn").asText();
    JsonNode tags = api.ok("ListTagsForResource", body("ResourceARN", arn)).path("Tags");
    assertEquals(1, tags.size());
    assertEquals("team", tags.get(0).path("Key").asText());
    assertNotEquals("", tags.get(0).path("Value").asText());
  }

  @Test
  void refusesMoreThanFiftyTagsAtCreation() {
    List<Object> tags = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      tags.add(body("Key", "k" + i, "Value", "v"));
    }
    api.error("TooManyTagsException", "CreateHttpNamespace", body("Name", "n", "Tags", tags));
  }
}
