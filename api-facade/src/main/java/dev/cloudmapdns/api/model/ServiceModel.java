package dev.cloudmapdns.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The Cloud Map API's request contract as the facade checks it: operation names, their input
 * shapes, and the wire constraints of every shape, declared in {@link RequestShapes}. It is the
 * single source of those constraints: every maximum, pattern, enum and required member the facade
 * checks is read from it.
 */
public final class ServiceModel {
  private final JsonNode operations;
  private final JsonNode shapes;
  private final String targetPrefix;

  private ServiceModel(JsonNode root) {
    this.operations = root.path("operations");
    this.shapes = root.path("shapes");
    this.targetPrefix = root.path("metadata").path("targetPrefix").asText();
  }

  public static ServiceModel load() {
    return new ServiceModel(RequestShapes.tree());
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
