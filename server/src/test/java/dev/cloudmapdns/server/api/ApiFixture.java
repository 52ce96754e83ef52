package dev.cloudmapdns.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudmapdns.api.ApiRequest;
import dev.cloudmapdns.api.ApiResponse;
import dev.cloudmapdns.api.ApiSettings;
import dev.cloudmapdns.api.CloudMapApi;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API over a fresh registry, called with JSON as a client sends it: {@code ok} for calls that
 * must succeed, {@code error} for calls that must fail with a given code. Small builders make the
 * usual namespaces, services and instances.
 */
final class ApiFixture {
  static final ObjectMapper JSON = new ObjectMapper();

  final Registry registry;
  final CloudMapApi api;

  /** The region of the requests' credential scope; null sends them unsigned. */
  private String region;

  /** The same registry, called with requests signed for {@code region} (not verified). */
  ApiFixture inRegion(String region) {
    ApiFixture other = new ApiFixture(registry, api);
    other.region = region;
    return other;
  }

  ApiFixture() {
    this.registry =
        new Registry(new RegistryIdentity("us-east-1", "123456789012"), Clock.systemUTC());
    this.api = new CloudMapApi(new RegistryBackend(registry), ApiSettings.defaults());
  }

  /** The API over {@code registry} (one with a store of the test's own, say). */
  ApiFixture(Registry registry) {
    this(registry, new CloudMapApi(new RegistryBackend(registry), ApiSettings.defaults()));
  }

  private ApiFixture(Registry registry, CloudMapApi api) {
    this.registry = registry;
    this.api = api;
  }

  ApiResponse call(String operation, Object body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/x-amz-json-1.1");
    headers.put("X-Amz-Target", "Route53AutoNaming_v20170314." + operation);
    if (region != null) {
      headers.put(
          "Authorization",
          "AWS4-HMAC-SHA256 Credential=test/20261125/"
              + region
              + "/servicediscovery/aws4_request, SignedHeaders=host;x-amz-date, Signature="
              + "0".repeat(64));
    }
    try {
      return api.handle(ApiRequest.post(headers, JSON.writeValueAsBytes(body)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonNode ok(String operation, Object body) {
    ApiResponse response = call(operation, body);
    assertEquals(200, response.status(), operation + ": " + response.bodyText());
    return read(response);
  }

  /** Asserts the call fails with {@code code}; returns the message. */
  String error(String code, String operation, Object body) {
    ApiResponse response = call(operation, body);
    JsonNode json = read(response);
    assertEquals(400, response.status(), operation + ": " + response.bodyText());
    assertEquals(code, json.path("__type").asText(), operation + ": " + response.bodyText());
    return json.path("Message").asText();
  }

  static JsonNode read(ApiResponse response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Arguments as alternating names and values, in order. */
  static Map<String, Object> body(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  /** Creates a private DNS namespace and returns its id, read from the operation. */
  String privateNamespace(String name) {
    return namespaceCreatedBy("CreatePrivateDnsNamespace", body("Name", name, "Vpc", "vpc-1"));
  }

  String httpNamespace(String name) {
    return namespaceCreatedBy("CreateHttpNamespace", body("Name", name));
  }

  private String namespaceCreatedBy(String operation, Map<String, Object> request) {
    String operationId = ok(operation, request).path("OperationId").asText();
    return ok("GetOperation", body("OperationId", operationId))
        .path("Operation")
        .path("Targets")
        .path("NAMESPACE")
        .asText();
  }

  /** An A-record service without health checks. */
  String aService(String namespaceId, String name) {
    return serviceCreatedBy(
        body(
            "Name",
            name,
            "NamespaceId",
            namespaceId,
            "DnsConfig",
            body("DnsRecords", List.of(body("Type", "A", "TTL", 60)))));
  }

  String customHealthService(String namespaceId, String name) {
    return serviceCreatedBy(
        body(
            "Name",
            name,
            "NamespaceId",
            namespaceId,
            "DnsConfig",
            body("DnsRecords", List.of(body("Type", "A", "TTL", 60))),
            "HealthCheckCustomConfig",
            body()));
  }

  private String serviceCreatedBy(Map<String, Object> request) {
    return ok("CreateService", request).path("Service").path("Id").asText();
  }

  String register(String serviceId, String instanceId, Map<String, String> attributes) {
    return ok(
            "RegisterInstance",
            body("ServiceId", serviceId, "InstanceId", instanceId, "Attributes", attributes))
        .path("OperationId")
        .asText();
  }

  static Map<String, String> ipv4(String address) {
    return Map.of("AWS_INSTANCE_IPV4", address);
  }
}
