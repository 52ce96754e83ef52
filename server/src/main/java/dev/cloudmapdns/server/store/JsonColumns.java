package dev.cloudmapdns.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cloudmapdns.server.registry.DnsRecord;
import dev.cloudmapdns.server.registry.OperationTarget;
import dev.cloudmapdns.server.registry.RegistryStoreException;
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
  private static final ObjectReader ATTRIBUTES =
      MAPPER.readerFor(new TypeReference<Map<String, String>>() {});
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

  static Map<String, String> attributes(String json) {
    return read(ATTRIBUTES, json);
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
      throw new RegistryStoreException("stored JSON is damaged: " + json, e);
    }
  }
}
