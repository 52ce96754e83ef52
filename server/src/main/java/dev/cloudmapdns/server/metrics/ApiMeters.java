package dev.cloudmapdns.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudmapdns.api.ApiResponse;
import dev.cloudmapdns.api.model.ServiceModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Cloud Map API calls by operation and error code ({@code cloudmap_api_requests_total}; error
 * {@code none} for a success). Operations outside the API's model count as {@code unknown}, so a
 * client cannot grow the label set.
 */
public final class ApiMeters {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MeterRegistry meters;
  private final String prefix;
  private final Set<String> operations = new HashSet<>();

  public ApiMeters(MeterRegistry meters) {
    this.meters = meters;
    ServiceModel model = ServiceModel.load();
    this.prefix = model.targetPrefix() + ".";
    model.operationNames().forEach(operations::add);
  }

  /** One call: its {@code X-Amz-Target} header (or null) and what the API answered. */
  public void called(String target, ApiResponse response) {
    String operation = "unknown";
    if (target != null && target.startsWith(prefix)) {
      String name = target.substring(prefix.length());
      if (operations.contains(name)) {
        operation = name;
      }
    }
    Counter.builder("cloudmap.api.requests")
        .description("Cloud Map API calls, by operation and error code")
        .tag("operation", operation)
        .tag("error", response.status() == 200 ? "none" : errorCode(response))
        .register(meters)
        .increment();
  }

  private static String errorCode(ApiResponse response) {
    try {
      JsonNode type = JSON.readTree(response.body()).path("__type");
      String code = type.isTextual() ? type.asText() : "";
      // Only codes shaped like AWS error names reach a label.
      return code.matches("[A-Za-z]{1,64}") ? code : "other";
    } catch (IOException | RuntimeException e) {
      return "other";
    }
  }
}
