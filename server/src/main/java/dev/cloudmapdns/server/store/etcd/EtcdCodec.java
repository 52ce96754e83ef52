package dev.cloudmapdns.server.store.etcd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudmapdns.server.registry.DnsConfig;
import dev.cloudmapdns.server.registry.DnsRecord;
import dev.cloudmapdns.server.registry.HealthCheckConfig;
import dev.cloudmapdns.server.registry.HealthCheckCustomConfig;
import dev.cloudmapdns.server.registry.HealthCheckType;
import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.Instance;
import dev.cloudmapdns.server.registry.InstanceOwner;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.NamespaceType;
import dev.cloudmapdns.server.registry.Operation;
import dev.cloudmapdns.server.registry.OperationStatus;
import dev.cloudmapdns.server.registry.OperationTarget;
import dev.cloudmapdns.server.registry.OperationType;
import dev.cloudmapdns.server.registry.RecordType;
import dev.cloudmapdns.server.registry.RegistryStoreException;
import dev.cloudmapdns.server.registry.RoutingPolicy;
import dev.cloudmapdns.server.registry.Service;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry's values as etcd holds them: JSON objects with named fields (readable with {@code
 * etcdctl get --prefix}), instants in ISO-8601, enums by name, maps in their order. One place for
 * both directions, so writing and reading cannot disagree; a value that does not read back is
 * reported with its key, never skipped.
 */
final class EtcdCodec {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private EtcdCodec() {}

  /** What {@code meta/version} holds: the registry version and the replica that wrote it. */
  record VersionMark(long version, String writer) {}

  static byte[] namespace(Namespace namespace) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", namespace.id());
    node.put("arn", namespace.arn());
    node.put("name", namespace.name());
    node.put("type", namespace.type().name());
    node.put("description", namespace.description());
    node.put("soaTtl", namespace.soaTtl());
    node.put("vpc", namespace.vpc());
    node.put("creatorRequestId", namespace.creatorRequestId());
    node.put("createDate", namespace.createDate().toString());
    return bytes(node);
  }

  static Namespace namespace(String key, byte[] value) {
    JsonNode node = read(key, value);
    try {
      return new Namespace(
          text(node, "id"),
          text(node, "arn"),
          text(node, "name"),
          NamespaceType.valueOf(text(node, "type")),
          text(node, "description"),
          node.path("soaTtl").asLong(Namespace.DEFAULT_SOA_TTL),
          text(node, "vpc"),
          text(node, "creatorRequestId"),
          Instant.parse(text(node, "createDate")));
    } catch (RuntimeException e) {
      throw damaged(key, value, e);
    }
  }

  static byte[] service(Service service) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", service.id());
    node.put("arn", service.arn());
    node.put("name", service.name());
    node.put("namespaceId", service.namespaceId());
    node.put("description", service.description());
    DnsConfig dns = service.dnsConfig();
    if (dns != null) {
      ObjectNode dnsNode = node.putObject("dnsConfig");
      dnsNode.put("routingPolicy", dns.routingPolicy().name());
      ArrayNode records = dnsNode.putArray("records");
      for (DnsRecord record : dns.records()) {
        records.addObject().put("type", record.type().name()).put("ttl", record.ttl());
      }
    }
    HealthCheckConfig check = service.healthCheckConfig();
    if (check != null) {
      node.putObject("healthCheckConfig")
          .put("type", check.type().name())
          .put("resourcePath", check.resourcePath())
          .put("failureThreshold", check.failureThreshold());
    }
    HealthCheckCustomConfig custom = service.healthCheckCustomConfig();
    if (custom != null) {
      node.putObject("healthCheckCustomConfig").put("failureThreshold", custom.failureThreshold());
    }
    node.put("creatorRequestId", service.creatorRequestId());
    node.put("createDate", service.createDate().toString());
    return bytes(node);
  }

  static Service service(String key, byte[] value) {
    JsonNode node = read(key, value);
    try {
      JsonNode dnsNode = node.get("dnsConfig");
      DnsConfig dns = null;
      if (dnsNode != null && !dnsNode.isNull()) {
        List<DnsRecord> records = new ArrayList<>();
        for (JsonNode record : dnsNode.path("records")) {
          records.add(
              new DnsRecord(RecordType.valueOf(text(record, "type")), record.get("ttl").asLong()));
        }
        dns = new DnsConfig(RoutingPolicy.valueOf(text(dnsNode, "routingPolicy")), records);
      }
      JsonNode checkNode = node.get("healthCheckConfig");
      HealthCheckConfig check =
          checkNode == null || checkNode.isNull()
              ? null
              : new HealthCheckConfig(
                  HealthCheckType.valueOf(text(checkNode, "type")),
                  text(checkNode, "resourcePath"),
                  checkNode.get("failureThreshold").asInt());
      JsonNode customNode = node.get("healthCheckCustomConfig");
      HealthCheckCustomConfig custom =
          customNode == null || customNode.isNull()
              ? null
              : new HealthCheckCustomConfig(customNode.get("failureThreshold").asInt());
      return new Service(
          text(node, "id"),
          text(node, "arn"),
          text(node, "name"),
          text(node, "namespaceId"),
          text(node, "description"),
          dns,
          check,
          custom,
          text(node, "creatorRequestId"),
          Instant.parse(text(node, "createDate")));
    } catch (RuntimeException e) {
      throw damaged(key, value, e);
    }
  }

  static byte[] instance(Instance instance) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", instance.id());
    ObjectNode attributes = node.putObject("attributes");
    // Instance keeps an unordered copy; sorted, the same instance is always the same bytes.
    new TreeMap<>(instance.attributes()).forEach(attributes::put);
    node.put("creatorRequestId", instance.creatorRequestId());
    node.put("registeredAt", instance.registeredAt().toString());
    if (instance.owner() != InstanceOwner.API) {
      // Absent means API: instances stored before owners existed read back as they were.
      node.put("owner", instance.owner().name());
    }
    return bytes(node);
  }

  static Instance instance(String key, byte[] value) {
    JsonNode node = read(key, value);
    try {
      Map<String, String> attributes = new HashMap<>();
      for (Map.Entry<String, JsonNode> field : node.get("attributes").properties()) {
        attributes.put(field.getKey(), field.getValue().asText());
      }
      return new Instance(
          text(node, "id"),
          attributes,
          text(node, "creatorRequestId"),
          Instant.parse(text(node, "registeredAt")),
          node.hasNonNull("owner")
              ? InstanceOwner.valueOf(node.get("owner").asText())
              : InstanceOwner.API);
    } catch (RuntimeException e) {
      throw damaged(key, value, e);
    }
  }

  static byte[] health(HealthStatus status) {
    return status.name().getBytes(StandardCharsets.UTF_8);
  }

  static HealthStatus health(String key, byte[] value) {
    try {
      return HealthStatus.valueOf(new String(value, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw damaged(key, value, e);
    }
  }

  static byte[] number(long value) {
    return Long.toString(value).getBytes(StandardCharsets.UTF_8);
  }

  static long number(String key, byte[] value) {
    try {
      return Long.parseLong(new String(value, StandardCharsets.UTF_8));
    } catch (NumberFormatException e) {
      throw damaged(key, value, e);
    }
  }

  static byte[] text(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] value) {
    return new String(value, StandardCharsets.UTF_8);
  }

  /** Tags or service attributes, in their order. */
  static byte[] keyValues(Map<String, String> values) {
    ObjectNode node = MAPPER.createObjectNode();
    values.forEach(node::put);
    return bytes(node);
  }

  static Map<String, String> keyValues(String key, byte[] value) {
    JsonNode node = read(key, value);
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      values.put(field.getKey(), field.getValue().asText());
    }
    return values;
  }

  static byte[] operation(Operation operation) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", operation.id());
    node.put("type", operation.type().name());
    node.put("status", operation.status().name());
    ObjectNode targets = node.putObject("targets");
    operation.targets().forEach((target, id) -> targets.put(target.name(), id));
    node.put("createDate", operation.createDate().toString());
    node.put("updateDate", operation.updateDate().toString());
    node.put("requestId", operation.requestId());
    node.put("region", operation.region());
    return bytes(node);
  }

  static Operation operation(String key, byte[] value) {
    JsonNode node = read(key, value);
    try {
      Map<OperationTarget, String> targets = new EnumMap<>(OperationTarget.class);
      for (Map.Entry<String, JsonNode> field : node.get("targets").properties()) {
        targets.put(OperationTarget.valueOf(field.getKey()), field.getValue().asText());
      }
      return new Operation(
          text(node, "id"),
          OperationType.valueOf(text(node, "type")),
          OperationStatus.valueOf(text(node, "status")),
          targets,
          Instant.parse(text(node, "createDate")),
          Instant.parse(text(node, "updateDate")),
          text(node, "requestId"),
          text(node, "region"));
    } catch (RuntimeException e) {
      throw damaged(key, value, e);
    }
  }

  static byte[] versionMark(VersionMark mark) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("version", mark.version());
    node.put("writer", mark.writer());
    return bytes(node);
  }

  static VersionMark versionMark(String key, byte[] value) {
    JsonNode node = read(key, value);
    try {
      return new VersionMark(node.get("version").asLong(), text(node, "writer"));
    } catch (RuntimeException e) {
      throw damaged(key, value, e);
    }
  }

  /** A member that may be absent or null reads as null. */
  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + node, e);
    }
  }

  private static JsonNode read(String key, byte[] value) {
    try {
      JsonNode node = MAPPER.readTree(value);
      if (node == null || !node.isObject()) {
        throw damaged(key, value, null);
      }
      return node;
    } catch (IOException e) {
      throw damaged(key, value, e);
    }
  }

  private static RegistryStoreException damaged(String key, byte[] value, Exception cause) {
    return new RegistryStoreException(
        "etcd key " + key + " does not hold a value this cloudmap-dns can read: " + text(value),
        cause);
  }
}
