package dev.cloudmapdns.api.shapes;

/** {@code NamespaceProperties}: DNS properties for DNS namespaces, the HTTP name for all. */
public record NamespaceProperties(DnsProperties dnsProperties, HttpProperties httpProperties) {}
