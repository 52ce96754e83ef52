package dev.cloudmapdns.api.shapes;

import java.util.List;

/** {@code NamespaceFilter}, {@code ServiceFilter} and {@code OperationFilter}: one shape. */
public record Filter(String name, List<String> values, String condition) {}
