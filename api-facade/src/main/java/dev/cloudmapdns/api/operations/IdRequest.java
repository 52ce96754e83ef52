package dev.cloudmapdns.api.operations;

/** A request naming one namespace or service by {@code Id} (an id or an ARN). */
record IdRequest(String id) {}
