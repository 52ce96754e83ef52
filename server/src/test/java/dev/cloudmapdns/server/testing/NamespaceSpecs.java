package dev.cloudmapdns.server.testing;

import dev.cloudmapdns.server.registry.NamespaceSpec;
import dev.cloudmapdns.server.registry.NamespaceType;

/** Valid namespace specs of each type, with the default SOA TTL. */
public final class NamespaceSpecs {
  public static final String VPC = "vpc-0123456789abcdef0";

  private NamespaceSpecs() {}

  public static NamespaceSpec privateDns(String name) {
    return new NamespaceSpec(name, NamespaceType.DNS_PRIVATE, null, null, VPC, null);
  }

  public static NamespaceSpec publicDns(String name) {
    return new NamespaceSpec(name, NamespaceType.DNS_PUBLIC, null, null, null, null);
  }

  public static NamespaceSpec http(String name) {
    return new NamespaceSpec(name, NamespaceType.HTTP, null, null, null, null);
  }
}
