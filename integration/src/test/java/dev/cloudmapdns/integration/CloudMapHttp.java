package dev.cloudmapdns.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Cloud Map API on the wire, as an SDK sends it (JSON 1.1, {@code X-Amz-Target}), without an
 * SDK's retries: a test sees each call's own outcome.
 */
public final class CloudMapHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI endpoint;

  public CloudMapHttp(int port) {
    this.endpoint = URI.create("http://127.0.0.1:" + port + "/");
  }

  /** Calls {@code operation}; throws unless the answer is 200. */
  public JsonNode call(String operation, String body) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-amz-json-1.1")
            .header("X-Amz-Target", "Route53AutoNaming_v20170314." + operation)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          operation + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  public JsonNode call(String operation, Object body) throws IOException, InterruptedException {
    return call(operation, JSON.writeValueAsString(body));
  }

  /** The Prometheus text at {@code GET /metrics} on the same port; throws unless it is 200. */
  public String metrics() throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(endpoint.resolve("/metrics"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("/metrics answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  /** Creates a private DNS namespace and returns its id, read from the recorded operation. */
  public String createPrivateDnsNamespace(String name) throws IOException, InterruptedException {
    String operation =
        call("CreatePrivateDnsNamespace", Map.of("Name", name, "Vpc", "vpc-1"))
            .get("OperationId")
            .asText();
    return call("GetOperation", Map.of("OperationId", operation))
        .at("/Operation/Targets/NAMESPACE")
        .asText();
  }

  /**
   * Creates a service with one DNS record per {@code recordTypes} (A when none is named), all with
   * {@code ttl}, and returns the {@code Service} member of the answer (its Id, Arn, ...).
   */
  public JsonNode createDnsService(String namespaceId, String name, int ttl, String... recordTypes)
      throws IOException, InterruptedException {
    var records =
        Arrays.stream(recordTypes.length == 0 ? new String[] {"A"} : recordTypes)
            .map(type -> Map.of("Type", type, "TTL", ttl))
            .toList();
    return call(
            "CreateService",
            Map.of(
                "Name",
                name,
                "NamespaceId",
                namespaceId,
                "DnsConfig",
                Map.of("DnsRecords", records)))
        .get("Service");
  }

  /**
   * Registers {@code instanceId} in {@code serviceId} with {@code attributes}, sending {@code
   * creatorRequestId} when it is not null; returns the answer (its OperationId).
   */
  public JsonNode registerInstance(
      String serviceId, String instanceId, String creatorRequestId, Map<String, String> attributes)
      throws IOException, InterruptedException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ServiceId", serviceId);
    body.put("InstanceId", instanceId);
    if (creatorRequestId != null) {
      body.put("CreatorRequestId", creatorRequestId);
    }
    body.put("Attributes", attributes);
    return call("RegisterInstance", body);
  }
}
