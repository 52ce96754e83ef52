package dev.cloudmapdns.api.operations;

import dev.cloudmapdns.api.shapes.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tag lists on the wire, tag maps in the backend. */
final class Tags {
  private Tags() {}

  static Map<String, String> toMap(List<Tag> tags) {
    Map<String, String> map = new LinkedHashMap<>();
    if (tags != null) {
      tags.forEach(tag -> map.put(tag.key(), tag.value()));
    }
    return map;
  }

  static List<Tag> toList(Map<String, String> tags) {
    return tags.entrySet().stream().map(e -> new Tag(e.getKey(), e.getValue())).toList();
  }
}
