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
import dev.cloudmapdns.server.registry.OperationTarget;
import dev.cloudmapdns.server.registry.RegistryStoreException;
import java.io.IOException;
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
  private static final ObjectReader TARGETS =
      MAPPER.readerFor(new TypeReference<Map<OperationTarget, String>>() {});

  private JsonColumns() {}

  static String write(Object value) {
    try {
      return WRITER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value + " as JSON", e);
    }
  }

  /**
   * Read with the streaming parser: start-up reads one such object per instance, and this is
   * several times cheaper than data binding while the JVM is still cold.
   */
  static Map<String, String> attributes(String json) {
    try (JsonParser parser = MAPPER.getFactory().createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw damaged(json, null);
      }
      Map<String, String> attributes = new HashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        if (parser.nextToken() != JsonToken.VALUE_STRING) {
          throw damaged(json, null);
        }
        attributes.put(key, parser.getText());
      }
      return attributes;
    } catch (IOException e) {
      throw damaged(json, e);
    }
  }

  static List<DnsRecord> records(String json) {
    return read(RECORDS, json);
  }

  static Map<OperationTarget, String> targets(String json) {
    return read(TARGETS, json);
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
