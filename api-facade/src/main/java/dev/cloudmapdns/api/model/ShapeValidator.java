package dev.cloudmapdns.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudmapdns.api.protocol.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a request body against its input shape in the {@link ServiceModel}, in two passes as AWS
 * does: JSON types first (a mismatch is a {@code SerializationException}), then the constraints
 * (required members, lengths, ranges, patterns, enums, list and map sizes), all violations reported
 * together as one {@code InvalidInput} in AWS's words, naming each member by its path. Members the
 * model does not know are ignored.
 *
 * <p>The syntax of names, instance ids, instance attributes, descriptions, TTLs, thresholds and
 * health-check paths is a domain rule: the registry's {@code RegistryRules} checks it for every way
 * into the registry (API, seed file, Kubernetes), so the shapes in {@link #DOMAIN_OWNED} are only
 * type-checked here. Keeping each rule in one home means one message and one place to fix it.
 */
public final class ShapeValidator {
  /** Shapes whose length and pattern constraints the registry's domain rules own. */
  static final Set<String> DOMAIN_OWNED =
      Set.of(
          "InstanceId",
          "ServiceName",
          "NamespaceNameHttp",
          "NamespaceNamePrivate",
          "NamespaceNamePublic",
          "AttrKey",
          "AttrValue",
          "ResourceDescription",
          "RecordTTL",
          "FailureThreshold",
          "ResourcePath");

  private static final int MAX_SHOWN_VALUE = 100;

  private final ServiceModel model;
  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

  public ShapeValidator(ServiceModel model) {
    this.model = model;
  }

  /**
   * Validates {@code body} as an instance of {@code shapeName}.
   *
   * @throws ApiException SerializationException or InvalidInput
   */
  public void validate(String shapeName, JsonNode body) {
    checkTypes(shapeName, body, "");
    List<String> violations = new ArrayList<>();
    checkConstraints(shapeName, body, "", violations);
    if (!violations.isEmpty()) {
      String count =
          violations.size() == 1
              ? "1 validation error detected: "
              : violations.size() + " validation errors detected: ";
      throw ApiException.invalidInput(count + String.join("; ", violations));
    }
  }

  private void checkTypes(String shapeName, JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return;
    }
    JsonNode shape = model.shape(shapeName);
    String type = shape.path("type").asText();
    switch (type) {
      case "structure" -> {
        expect(node.isObject(), "an object", path, node);
        for (Map.Entry<String, JsonNode> member : shape.path("members").properties()) {
          checkTypes(
              member.getValue().path("shape").asText(),
              node.get(member.getKey()),
              join(path, member.getKey()));
        }
      }
      case "list" -> {
        expect(node.isArray(), "a list", path, node);
        String memberShape = shape.path("member").path("shape").asText();
        for (int i = 0; i < node.size(); i++) {
          JsonNode element = node.get(i);
          expect(element != null && !element.isNull(), "a value", path + "[" + i + "]", element);
          checkTypes(memberShape, element, path + "[" + i + "]");
        }
      }
      case "map" -> {
        expect(node.isObject(), "an object", path, node);
        String valueShape = shape.path("value").path("shape").asText();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
          String entryPath = path + "." + entry.getKey();
          expect(!entry.getValue().isNull(), "a value", entryPath, entry.getValue());
          checkTypes(valueShape, entry.getValue(), entryPath);
        }
      }
      case "string" -> expect(node.isTextual(), "a string", path, node);
      case "integer" ->
          expect(node.isIntegralNumber() && node.canConvertToInt(), "an integer", path, node);
      case "long" ->
          expect(node.isIntegralNumber() && node.canConvertToLong(), "a long", path, node);
      case "boolean" -> expect(node.isBoolean(), "a boolean", path, node);
      case "timestamp" -> expect(node.isNumber(), "a timestamp in epoch seconds", path, node);
      default -> throw new IllegalStateException("unsupported shape type " + type);
    }
  }

  private static void expect(boolean ok, String what, String path, JsonNode node) {
    if (!ok) {
      String where = path.isEmpty() ? "the request body" : "'" + path + "'";
      throw ApiException.serialization("Expected " + what + " at " + where + ", got " + kind(node));
    }
  }

  private static String kind(JsonNode node) {
    if (node == null || node.isNull()) {
      return "null";
    }
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private void checkConstraints(
      String shapeName, JsonNode node, String path, List<String> violations) {
    JsonNode shape = model.shape(shapeName);
    String type = shape.path("type").asText();
    switch (type) {
      case "structure" -> {
        Set<String> required = names(shape.path("required"));
        for (Map.Entry<String, JsonNode> member : shape.path("members").properties()) {
          String memberPath = join(path, member.getKey());
          JsonNode value = node.get(member.getKey());
          if (value == null || value.isNull()) {
            if (required.contains(member.getKey())) {
              violations.add(
                  "Value null at '"
                      + memberPath
                      + "' failed to satisfy constraint: Member must not be null");
            }
            continue;
          }
          checkConstraints(member.getValue().path("shape").asText(), value, memberPath, violations);
        }
      }
      case "list" -> {
        checkSize(shape, node.size(), node, path, violations);
        String memberShape = shape.path("member").path("shape").asText();
        for (int i = 0; i < node.size(); i++) {
          checkConstraints(memberShape, node.get(i), path + "." + (i + 1) + ".member", violations);
        }
      }
      case "map" -> {
        checkSize(shape, node.size(), node, path, violations);
        String keyShape = shape.path("key").path("shape").asText();
        String valueShape = shape.path("value").path("shape").asText();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
          checkString(keyShape, entry.getKey(), path + ".key", violations);
          checkConstraints(valueShape, entry.getValue(), path + "." + entry.getKey(), violations);
        }
      }
      case "string" -> checkString(shapeName, node.asText(), path, violations);
      case "integer", "long" -> {
        if (DOMAIN_OWNED.contains(shapeName)) {
          return;
        }
        long value = node.asLong();
        if (shape.has("min") && value < shape.get("min").asLong()) {
          violations.add(
              violation(
                  value,
                  path,
                  "Member must have value greater than or equal to " + shape.get("min").asLong()));
        }
        if (shape.has("max") && value > shape.get("max").asLong()) {
          violations.add(
              violation(
                  value,
                  path,
                  "Member must have value less than or equal to " + shape.get("max").asLong()));
        }
      }
      default -> {
        // booleans and timestamps carry no constraints in this model
      }
    }
  }

  private void checkString(String shapeName, String value, String path, List<String> violations) {
    JsonNode shape = model.shape(shapeName);
    if (shape.has("enum")) {
      Set<String> allowed = names(shape.get("enum"));
      if (!allowed.contains(value)) {
        violations.add(
            violation(
                value, path, "Member must satisfy enum value set: " + listOf(shape.get("enum"))));
      }
      return;
    }
    if (DOMAIN_OWNED.contains(shapeName)) {
      return;
    }
    int length = value.codePointCount(0, value.length());
    if (shape.has("min") && length < shape.get("min").asInt()) {
      violations.add(
          violation(
              value,
              path,
              "Member must have length greater than or equal to " + shape.get("min").asInt()));
    }
    if (shape.has("max") && length > shape.get("max").asInt()) {
      violations.add(
          violation(
              value,
              path,
              "Member must have length less than or equal to " + shape.get("max").asInt()));
    }
    if (shape.has("pattern")) {
      String regex = shape.get("pattern").asText();
      if (!patterns.computeIfAbsent(regex, Pattern::compile).matcher(value).find()) {
        violations.add(
            violation(value, path, "Member must satisfy regular expression pattern: " + regex));
      }
    }
  }

  private static void checkSize(
      JsonNode shape, int size, JsonNode node, String path, List<String> violations) {
    if (shape.has("min") && size < shape.get("min").asInt()) {
      violations.add(
          violation(
              node,
              path,
              "Member must have length greater than or equal to " + shape.get("min").asInt()));
    }
    if (shape.has("max") && size > shape.get("max").asInt()) {
      violations.add(
          violation(
              node,
              path,
              "Member must have length less than or equal to " + shape.get("max").asInt()));
    }
  }

  private static String violation(Object value, String path, String rule) {
    String shown = String.valueOf(value);
    if (shown.length() > MAX_SHOWN_VALUE) {
      shown = shown.substring(0, MAX_SHOWN_VALUE) + "...";
    }
    String quoted = value instanceof Number ? shown : "'" + shown + "'";
    return "Value " + quoted + " at '" + path + "' failed to satisfy constraint: " + rule;
  }

  /** AWS names members in lower camel case in validation messages: {@code dnsConfig.dnsRecords}. */
  private static String join(String path, String member) {
    String name = Character.toLowerCase(member.charAt(0)) + member.substring(1);
    return path.isEmpty() ? name : path + "." + name;
  }

  private static Set<String> names(JsonNode array) {
    Set<String> names = new java.util.HashSet<>();
    array.forEach(n -> names.add(n.asText()));
    return names;
  }

  private static String listOf(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(n -> values.add(n.asText()));
    return values.stream().collect(Collectors.joining(", ", "[", "]"));
  }
}
