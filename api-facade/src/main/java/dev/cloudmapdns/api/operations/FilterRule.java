package dev.cloudmapdns.api.operations;

import dev.cloudmapdns.api.protocol.ApiException;
import dev.cloudmapdns.api.shapes.Filter;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The meaning of one list filter (NamespaceFilter, ServiceFilter, OperationFilter): which
 * conditions a filter name supports and how many values each takes, as the API documentation states
 * them. A filter outside those rules is InvalidInput.
 */
final class FilterRule {
  private FilterRule() {}

  /** The filter's condition (EQ when absent), after checking it is allowed and its value count. */
  static String condition(Filter filter, Set<String> allowed) {
    String condition = filter.condition() == null ? "EQ" : filter.condition();
    if (!allowed.contains(condition)) {
      throw ApiException.invalidInput(
          "Filter "
              + filter.name()
              + " does not support condition "
              + condition
              + "; supported: "
              + String.join(", ", allowed.stream().sorted().toList()));
    }
    int count = filter.values().size();
    switch (condition) {
      case "EQ", "BEGINS_WITH" -> requireCount(filter, condition, count == 1, "exactly one value");
      case "BETWEEN" -> requireCount(filter, condition, count == 2, "two values: start and end");
      default -> requireCount(filter, condition, count >= 1, "at least one value");
    }
    return condition;
  }

  /** A predicate on one text property of an item, for EQ, IN and BEGINS_WITH. */
  static Predicate<String> text(Filter filter, Set<String> allowed) {
    String condition = condition(filter, allowed);
    List<String> values = filter.values();
    return switch (condition) {
      case "BEGINS_WITH" -> actual -> actual != null && actual.startsWith(values.get(0));
      default -> values::contains;
    };
  }

  private static void requireCount(Filter filter, String condition, boolean ok, String what) {
    if (!ok) {
      throw ApiException.invalidInput(
          "Filter " + filter.name() + " with condition " + condition + " takes " + what);
    }
  }
}
