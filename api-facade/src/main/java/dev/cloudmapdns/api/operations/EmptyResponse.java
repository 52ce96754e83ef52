package dev.cloudmapdns.api.operations;

/** The answer of operations that return nothing: {@code {}}. */
record EmptyResponse() {}
