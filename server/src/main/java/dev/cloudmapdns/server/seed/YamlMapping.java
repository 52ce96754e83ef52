package dev.cloudmapdns.server.seed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML mapping read with its line numbers, so that every complaint about the seed file can say
 * where the problem is. Unknown and repeated keys are errors: a typo must not be silently ignored.
 */
final class YamlMapping {
  private final String file;
  private final Node node;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

  private YamlMapping(String file, Node node, String what) {
    this.file = file;
    this.node = node;
    if (!(node instanceof MappingNode mapping)) {
      throw error(node, what + " must be a mapping (key: value lines)");
    }
    for (NodeTuple tuple : mapping.getValue()) {
      String key = scalar(tuple.getKeyNode(), "a key");
      if (entries.put(key, tuple) != null) {
        throw error(tuple.getKeyNode(), "key '" + key + "' appears twice");
      }
    }
  }

  static YamlMapping of(String file, Node node, String what) {
    return new YamlMapping(file, node, what);
  }

  int line() {
    return line(node);
  }

  /** Fails on any key outside {@code allowed}. */
  YamlMapping allowOnly(String what, Set<String> allowed) {
    for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
      if (!allowed.contains(entry.getKey())) {
        throw error(
            entry.getValue().getKeyNode(),
            "unknown key '"
                + entry.getKey()
                + "' in "
                + what
                + " (allowed: "
                + String.join(", ", allowed.stream().sorted().toList())
                + ")");
      }
    }
    return this;
  }

  String requiredString(String key) {
    String value = optionalString(key);
    if (value == null) {
      throw error(node, "missing required key '" + key + "'");
    }
    return value;
  }

  String optionalString(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? null : scalar(tuple.getValueNode(), "'" + key + "'");
  }

  Long optionalLong(String key) {
    String text = optionalString(key);
    if (text == null) {
      return null;
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw error(
          entries.get(key).getValueNode(),
          "'" + key + "' must be a whole number, got '" + text + "'");
    }
  }

  /** An enum constant named by the value, or {@code fallback} when the key is absent. */
  <E extends Enum<E>> E optionalEnum(String key, Class<E> type, E fallback) {
    String text = optionalString(key);
    if (text == null) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, text.trim());
    } catch (IllegalArgumentException e) {
      List<String> names = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        names.add(constant.name());
      }
      throw error(
          entries.get(key).getValueNode(),
          "'" + key + "' must be one of " + String.join(", ", names) + ", got '" + text + "'");
    }
  }

  YamlMapping optionalMapping(String key, String what) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? null : new YamlMapping(file, tuple.getValueNode(), what);
  }

  /** The items of a sequence of mappings; empty when the key is absent. */
  List<YamlMapping> mappings(String key, String what) {
    NodeTuple tuple = entries.get(key);
    if (tuple == null) {
      return List.of();
    }
    if (!(tuple.getValueNode() instanceof SequenceNode sequence)) {
      throw error(tuple.getValueNode(), "'" + key + "' must be a list (lines starting with '- ')");
    }
    List<YamlMapping> items = new ArrayList<>();
    for (Node item : sequence.getValue()) {
      items.add(new YamlMapping(file, item, what));
    }
    return items;
  }

  /** A mapping of plain strings (instance attributes); empty when the key is absent. */
  Map<String, String> stringMap(String key) {
    YamlMapping mapping = optionalMapping(key, "'" + key + "'");
    Map<String, String> values = new LinkedHashMap<>();
    if (mapping != null) {
      for (Map.Entry<String, NodeTuple> entry : mapping.entries.entrySet()) {
        values.put(
            entry.getKey(), scalar(entry.getValue().getValueNode(), "'" + entry.getKey() + "'"));
      }
    }
    return values;
  }

  SeedException error(String message) {
    return error(node, message);
  }

  /** An error about the value of {@code key}, at that value's line. */
  SeedException error(String key, String message) {
    NodeTuple tuple = entries.get(key);
    return error(tuple == null ? node : tuple.getValueNode(), message);
  }

  private String scalar(Node value, String what) {
    if (!(value instanceof ScalarNode scalar)) {
      throw error(value, what + " must be a plain value");
    }
    return scalar.getValue();
  }

  private SeedException error(Node at, String message) {
    return new SeedException(file + ":" + line(at) + ": " + message);
  }

  private static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }
}
