package dev.cloudmapdns.api.shapes;

/** What ListOperations returns per operation. */
public record OperationSummary(String id, String status) {}
