package dev.cloudmapdns.api.shapes;

/** A resource tag. */
public record Tag(String key, String value) {}
