package dev.cloudmapdns.server.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cloudmapdns.server.registry.DnsRecord;
import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.Instance;
import dev.cloudmapdns.server.registry.InstanceOwner;
import dev.cloudmapdns.server.registry.OperationTarget;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.RegistryStoreException;
import java.io.IOException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The few columns that hold JSON: instance attributes, DNS records and operation targets. One place
 * for both directions, so the writer and the reader cannot disagree. Map keys are written sorted,
 * so the same value always gives the same text.
 */
final class JsonColumns {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private static final ObjectWriter WRITER = MAPPER.writer();
  private static final ObjectReader RECORDS =
      MAPPER.readerFor(new TypeReference<List<DnsRecord>>() {});

  private JsonColumns() {}

  static String write(Object value) {
    try {
      return WRITER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value + " as JSON", e);
    }
  }

  /** An instance attributes column. */
  static Map<String, String> attributes(String json) {
    try (JsonParser parser = MAPPER.getFactory().createParser(json)) {
      parser.nextToken();
      return attributes(parser, json);
    } catch (IOException e) {
      throw damaged(json, e);
    }
  }

  /**
   * One instance row as {@link StateReader} selects it: {@code [service_id, id, attributes,
   * creator_request_id, registered_at, health]} in one JSON array. Start-up reads one per instance,
   * so they come in one column (one JDBC call instead of six) and are read with the streaming
   * parser, several times cheaper than data binding while the JVM is still cold.
   */
  static InstanceRow instanceRow(String json) {
    try (JsonParser parser = MAPPER.getFactory().createParser(json)) {
      expect(parser.nextToken(), JsonToken.START_ARRAY, json);
      String serviceId = text(parser, json);
      String id = text(parser, json);
      parser.nextToken();
      Map<String, String> attributes = attributes(parser, json);
      String creatorRequestId =
          parser.nextToken() == JsonToken.VALUE_NULL ? null : parser.getText();
      Instant registeredAt = IsoInstants.parse(text(parser, json));
      HealthStatus health = HealthStatus.valueOf(text(parser, json));
      InstanceOwner owner = InstanceOwner.valueOf(text(parser, json));
      expect(parser.nextToken(), JsonToken.END_ARRAY, json);
      return new InstanceRow(
          serviceId,
          new RegisteredInstance(
              new Instance(id, attributes, creatorRequestId, registeredAt, owner), health));
    } catch (IOException | IllegalArgumentException e) {
      throw damaged(json, e);
    }
  }

  /** An instance read back, with the id of its service. */
  record InstanceRow(String serviceId, RegisteredInstance instance) {}

  /** The attributes object the parser stands at the start of. */
  private static Map<String, String> attributes(JsonParser parser, String json) throws IOException {
    expect(parser.currentToken(), JsonToken.START_OBJECT, json);
    Map<String, String> attributes = new HashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      attributes.put(key, text(parser, json));
    }
    return attributes;
  }

  private static String text(JsonParser parser, String json) throws IOException {
    expect(parser.nextToken(), JsonToken.VALUE_STRING, json);
    return parser.getText();
  }

  private static void expect(JsonToken actual, JsonToken expected, String json) {
    if (actual != expected) {
      throw damaged(json, null);
    }
  }

  static List<DnsRecord> records(String json) {
    return read(RECORDS, json);
  }

  /** An operation's targets; read like attributes, as start-up reads thousands of them. */
  static Map<OperationTarget, String> targets(String json) {
    Map<OperationTarget, String> targets = new EnumMap<>(OperationTarget.class);
    try {
      attributes(json).forEach((key, id) -> targets.put(OperationTarget.valueOf(key), id));
    } catch (IllegalArgumentException e) {
      throw damaged(json, e);
    }
    return targets;
  }

  private static <T> T read(ObjectReader reader, String json) {
    try {
      return reader.readValue(json);
    } catch (JsonProcessingException e) {
      throw damaged(json, e);
    }
  }

  private static RegistryStoreException damaged(String json, Exception cause) {
    return new RegistryStoreException("stored JSON is damaged: " + json, cause);
  }
}
