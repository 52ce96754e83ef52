package dev.cloudmapdns.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * AWS's API model of Cloud Map (botocore's {@code servicediscovery/2017-03-14/service-2.json},
 * Apache License 2.0, stripped of its documentation), bundled as a resource. It is the single
 * source of the wire constraints: every maximum, pattern, enum and required member the facade
 * checks is read from it, never retyped.
 */
public final class ServiceModel {
  private static final String RESOURCE = "servicediscovery-2017-03-14.json";

  private final JsonNode operations;
  private final JsonNode shapes;
  private final String targetPrefix;

  private ServiceModel(JsonNode root) {
    this.operations = root.path("operations");
    this.shapes = root.path("shapes");
    this.targetPrefix = root.path("metadata").path("targetPrefix").asText();
  }

  public static ServiceModel load() {
    try (InputStream in = ServiceModel.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return new ServiceModel(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code Route53AutoNaming_v20170314}: what precedes the dot in X-Amz-Target. */
  public String targetPrefix() {
    return targetPrefix;
  }

  /** The operation's input shape name, if the model has the operation. */
  public Optional<String> inputShape(String operation) {
    JsonNode op = operations.get(operation);
    return op == null ? Optional.empty() : Optional.of(op.path("input").asText());
  }

  public Iterable<String> operationNames() {
    return operations::fieldNames;
  }

  JsonNode shape(String name) {
    JsonNode shape = shapes.get(name);
    if (shape == null) {
      throw new IllegalStateException("shape not in model: " + name);
    }
    return shape;
  }
}
