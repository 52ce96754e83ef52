package dev.cloudmapdns.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudmapdns.api.backend.BackendException;
import dev.cloudmapdns.api.backend.BackendFailure;
import dev.cloudmapdns.api.backend.CloudMapBackend;
import dev.cloudmapdns.api.throttle.RequestRate;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class CloudMapApiProtocolTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ApiResponse call(CloudMapBackend backend, String target, String body) {
    CloudMapApi api = new CloudMapApi(backend, ApiSettings.defaults());
    return api.handle(
        ApiRequest.post(
            target == null
                ? Map.of("Content-Type", "application/x-amz-json-1.1")
                : Map.of(
                    "Content-Type",
                    "application/x-amz-json-1.1",
                    "X-Amz-Target",
                    "Route53AutoNaming_v20170314." + target),
            body.getBytes(StandardCharsets.UTF_8)));
  }

  private static JsonNode json(ApiResponse response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static void assertError(ApiResponse response, int status, String code) throws Exception {
    assertEquals(status, response.status(), response.bodyText());
    assertEquals("application/x-amz-json-1.1", response.headers().get("Content-Type"));
    assertEquals(code, json(response).path("__type").asText(), response.bodyText());
    assertFalse(json(response).path("Message").asText().isEmpty());
  }

  @Test
  void refusesAnUnknownOperation() throws Exception {
    assertError(
        call(StubBackend.unreachable(), "DropTables", "{}"), 400, "UnknownOperationException");
  }

  @Test
  void refusesARequestWithoutTarget() throws Exception {
    assertError(call(StubBackend.unreachable(), null, "{}"), 400, "UnknownOperationException");
  }

  @Test
  void refusesATargetOfAnotherService() throws Exception {
    CloudMapApi api = new CloudMapApi(StubBackend.unreachable(), ApiSettings.defaults());
    ApiResponse response =
        api.handle(
            ApiRequest.post(
                Map.of("x-amz-target", "DynamoDB_20120810.ListTables"),
                "{}".getBytes(StandardCharsets.UTF_8)));
    assertError(response, 400, "UnknownOperationException");
  }

  @Test
  void refusesABodyThatIsNotJson() throws Exception {
    assertError(
        call(StubBackend.unreachable(), "GetNamespace", "{\"Id\":"), 400, "SerializationException");
  }

  @Test
  void refusesABodyThatIsNotAnObject() throws Exception {
    assertError(
        call(StubBackend.unreachable(), "GetNamespace", "[1]"), 400, "SerializationException");
  }

  @Test
  void refusesAMemberOfTheWrongType() throws Exception {
    ApiResponse response =
        call(StubBackend.unreachable(), "ListNamespaces", "{\"MaxResults\":\"ten\"}");
    assertError(response, 400, "SerializationException");
    assertTrue(json(response).path("Message").asText().contains("maxResults"));
  }

  @Test
  void refusesAStringWhereAListBelongs() throws Exception {
    assertError(
        call(
            StubBackend.unreachable(),
            "TagResource",
            "{\"ResourceARN\":\"arn:x\",\"Tags\":\"k=v\"}"),
        400,
        "SerializationException");
  }

  @Test
  void namesTheMissingRequiredMember() throws Exception {
    ApiResponse response = call(StubBackend.unreachable(), "GetNamespace", "{}");
    assertError(response, 400, "InvalidInput");
    assertEquals(
        "1 validation error detected: Value null at 'id' failed to satisfy constraint:"
            + " Member must not be null",
        json(response).path("Message").asText());
  }

  @Test
  void reportsEveryViolationAtOnce() throws Exception {
    ApiResponse response =
        call(
            StubBackend.unreachable(),
            "ListOperations",
            "{\"MaxResults\":0,\"Filters\":[{\"Name\":\"COLOR\",\"Values\":[]}]}");
    assertError(response, 400, "InvalidInput");
    String message = json(response).path("Message").asText();
    assertTrue(message.startsWith("2 validation errors detected: "), message);
    assertTrue(
        message.contains(
            "'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"),
        message);
    assertTrue(
        message.contains(
            "'filters.1.member.name' failed to satisfy constraint: Member must satisfy enum value set"),
        message);
  }

  @Test
  void checksLengthsFromTheModel() throws Exception {
    ApiResponse response =
        call(StubBackend.unreachable(), "GetNamespace", "{\"Id\":\"" + "n".repeat(256) + "\"}");
    assertError(response, 400, "InvalidInput");
    assertTrue(
        json(response)
            .path("Message")
            .asText()
            .contains("Member must have length less than or equal to 255"));
  }

  @Test
  void checksEnumsFromTheModel() throws Exception {
    ApiResponse response =
        call(
            StubBackend.unreachable(),
            "UpdateInstanceCustomHealthStatus",
            "{\"ServiceId\":\"srv-1\",\"InstanceId\":\"i-1\",\"Status\":\"SICK\"}");
    assertError(response, 400, "InvalidInput");
    assertTrue(json(response).path("Message").asText().contains("[HEALTHY, UNHEALTHY]"));
  }

  @Test
  void ignoresMembersTheModelDoesNotKnow() throws Exception {
    AtomicReference<Object> asked = new AtomicReference<>();
    CloudMapBackend backend =
        StubBackend.answering(
            (method, args) -> {
              asked.set(args[0]);
              return "op-1";
            });
    ApiResponse response =
        call(backend, "DeleteNamespace", "{\"Id\":\"ns-1\",\"Force\":true,\"Extra\":{\"a\":[1]}}");
    assertEquals(200, response.status(), response.bodyText());
    assertEquals("op-1", json(response).path("OperationId").asText());
    assertEquals("ns-1", asked.get());
  }

  @Test
  void treatsAnEmptyBodyAsAnEmptyObject() throws Exception {
    CloudMapBackend backend = StubBackend.answering((method, args) -> java.util.List.of());
    ApiResponse response = call(backend, "ListNamespaces", "");
    assertEquals(200, response.status(), response.bodyText());
    assertEquals("application/x-amz-json-1.1", response.headers().get("Content-Type"));
    assertEquals(0, json(response).path("Namespaces").size());
  }

  @Test
  void refusesABodyOverTheLimitBeforeParsingIt() throws Exception {
    CloudMapApi api = new CloudMapApi(StubBackend.unreachable(), new ApiSettings(64));
    ApiResponse response =
        api.handle(
            ApiRequest.post(
                Map.of("X-Amz-Target", "Route53AutoNaming_v20170314.GetNamespace"),
                ("{\"Id\":\"" + "x".repeat(100)).getBytes(StandardCharsets.UTF_8)));
    assertError(response, 413, "RequestEntityTooLargeException");
    assertTrue(json(response).path("Message").asText().contains("64 bytes"));
  }

  @Test
  void answersThrottlingExceptionToAClientAboveItsRate() throws Exception {
    CloudMapApi api =
        new CloudMapApi(
            StubBackend.unreachable(),
            new ApiSettings(1 << 20, Map.of(), new RequestRate(0.001, 2)));
    ApiRequest request =
        ApiRequest.post(
            Map.of("X-Amz-Target", "Route53AutoNaming_v20170314.DropTables"), new byte[0]);

    assertError(api.handle(request, "10.0.0.7"), 400, "UnknownOperationException");
    assertError(api.handle(request, "10.0.0.7"), 400, "UnknownOperationException");
    assertError(api.handle(request, "10.0.0.7"), 400, "ThrottlingException");
    assertError(api.handle(request, "10.0.0.8"), 400, "UnknownOperationException");
  }

  @Test
  void countsSignedRequestsAgainstTheirAccessKeyWhateverTheirAddress() throws Exception {
    CloudMapApi api =
        new CloudMapApi(
            StubBackend.answering(
                (method, args) -> {
                  throw new BackendException(BackendFailure.NAMESPACE_NOT_FOUND, "none here");
                }),
            new ApiSettings(1 << 20, Map.of(), new RequestRate(0.001, 1)));
    ApiRequest signed =
        ApiRequest.post(
            Map.of(
                "X-Amz-Target",
                "Route53AutoNaming_v20170314.DropTables",
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261202/us-east-1/servicediscovery/"
                    + "aws4_request, SignedHeaders=host, Signature="
                    + "0".repeat(64)),
            new byte[0]);

    assertError(api.handle(signed, "10.0.0.7"), 400, "NamespaceNotFound");
    assertError(api.handle(signed, "10.0.0.9"), 400, "ThrottlingException");
  }

  @Test
  void refusesOtherMethods() throws Exception {
    CloudMapApi api = new CloudMapApi(StubBackend.unreachable(), ApiSettings.defaults());
    assertError(
        api.handle(new ApiRequest("GET", "/", Map.of(), new byte[0])),
        400,
        "UnknownOperationException");
  }

  @ParameterizedTest
  @EnumSource(BackendFailure.class)
  void mapsEveryBackendFailureToItsAwsCode(BackendFailure failure) throws Exception {
    CloudMapBackend backend =
        StubBackend.answering(
            (method, args) -> {
              throw new BackendException(failure, "refused: " + failure);
            });
    ApiResponse response = call(backend, "GetNamespace", "{\"Id\":\"ns-1\"}");
    assertError(response, 400, failure.awsCode());
    assertEquals("refused: " + failure, json(response).path("Message").asText());
  }

  static Stream<Arguments> existingResourceMembers() {
    String serviceArn = "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-1";
    return Stream.of(
        Arguments.of(
            BackendFailure.NAMESPACE_ALREADY_EXISTS,
            new BackendException.ExistingResource("ns-1", "arn:ns", "r-1"),
            Map.of("NamespaceId", "ns-1", "CreatorRequestId", "r-1")),
        Arguments.of(
            BackendFailure.NAMESPACE_ALREADY_EXISTS,
            new BackendException.ExistingResource("ns-1", "arn:ns", null),
            Map.of("NamespaceId", "ns-1")),
        Arguments.of(
            BackendFailure.SERVICE_ALREADY_EXISTS,
            new BackendException.ExistingResource("srv-1", serviceArn, "r-2"),
            Map.of("ServiceId", "srv-1", "ServiceArn", serviceArn, "CreatorRequestId", "r-2")),
        Arguments.of(
            BackendFailure.SERVICE_ALREADY_EXISTS,
            new BackendException.ExistingResource("srv-1", serviceArn, null),
            Map.of("ServiceId", "srv-1", "ServiceArn", serviceArn)));
  }

  /** The error shapes' members in the API model, besides {@code __type} and {@code Message}. */
  @ParameterizedTest
  @MethodSource("existingResourceMembers")
  void namesTheExistingResourceInAnAlreadyExistsError(
      BackendFailure failure,
      BackendException.ExistingResource existing,
      Map<String, String> expected)
      throws Exception {
    CloudMapBackend backend =
        StubBackend.answering(
            (method, args) -> {
              throw new BackendException(failure, "exists", null, existing);
            });
    ApiResponse response = call(backend, "GetNamespace", "{\"Id\":\"ns-1\"}");
    assertError(response, 400, failure.awsCode());
    Map<String, String> members = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : json(response).properties()) {
      if (!field.getKey().equals("__type") && !field.getKey().equals("Message")) {
        members.put(field.getKey(), field.getValue().asText());
      }
    }
    assertEquals(expected, members);
  }

  @Test
  void hidesInternalErrors() throws Exception {
    CloudMapBackend backend =
        StubBackend.answering(
            (method, args) -> {
              throw new IllegalStateException("secret detail at dev.cloudmapdns.Internal");
            });
    ApiResponse response = call(backend, "GetNamespace", "{\"Id\":\"ns-1\"}");
    assertError(response, 500, "InternalFailure");
    assertFalse(response.bodyText().contains("secret"));
    assertFalse(response.bodyText().contains("dev.cloudmapdns"));
  }
}
