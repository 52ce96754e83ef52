package dev.cloudmapdns.api.operations;

/** The answer of every asynchronous operation: its id, for GetOperation. */
record OperationResponse(String operationId) {}
