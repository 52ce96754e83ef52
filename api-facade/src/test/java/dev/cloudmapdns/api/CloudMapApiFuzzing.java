package dev.cloudmapdns.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudmapdns.api.backend.BackendException;
import dev.cloudmapdns.api.backend.BackendFailure;
import dev.cloudmapdns.api.model.ServiceModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What must hold for any request body to any operation, shared by the short fuzz run of every build
 * and the long one behind {@code fuzz-long}: no exception escapes; the answer is 200 with a JSON
 * object, or an AWS error (400, or 413 for size) with a {@code __type} and a message; never 500.
 * The backend finds nothing, so every well-formed request reaches it and is answered NotFound.
 */
final class CloudMapApiFuzzing {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> OPERATIONS = new ArrayList<>();

  static {
    ServiceModel.load().operationNames().forEach(OPERATIONS::add);
    OPERATIONS.add("NoSuchOperation");
  }

  private static final CloudMapApi API =
      new CloudMapApi(
          StubBackend.answering(
              (method, args) -> {
                throw new BackendException(BackendFailure.SERVICE_NOT_FOUND, "nothing here");
              }),
          new ApiSettings(64 * 1024));

  private CloudMapApiFuzzing() {}

  static void check(FuzzedDataProvider data) {
    String operation = data.pickValue(OPERATIONS);
    byte[] body = data.consumeRemainingAsBytes();
    ApiResponse response =
        API.handle(
            ApiRequest.post(
                Map.of(
                    "Content-Type",
                    "application/x-amz-json-1.1",
                    "X-Amz-Target",
                    "Route53AutoNaming_v20170314." + operation),
                body));
    JsonNode json;
    try {
      json = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("the answer is not JSON: " + response.bodyText(), e);
    }
    assertTrue(json.isObject(), response.bodyText());
    if (response.status() == 200) {
      return;
    }
    assertTrue(response.status() == 400 || response.status() == 413, response.bodyText());
    assertFalse(json.path("__type").asText().isEmpty(), response.bodyText());
    assertFalse(json.path("Message").asText().isEmpty(), response.bodyText());
    assertNotEquals("InternalFailure", json.path("__type").asText(), response.bodyText());
  }
}
