package dev.cloudmapdns.server.store.etcd;

import dev.cloudmapdns.server.registry.DnsNames;
import dev.cloudmapdns.server.registry.OperationType;
import java.util.Objects;

/**
 * Where each value lives under the registry's key prefix (docs/store.md lists them). One key per
 * value, so a change writes only its own keys; a key's kind is the segment after the prefix.
 *
 * @param prefix ends with {@code /}, e.g. {@code /cloudmap-dns/}
 */
record EtcdKeys(String prefix) {
  static final String DEFAULT_PREFIX = "/cloudmap-dns/";

  static final String NAMESPACE = "ns/";
  static final String SERVICE = "svc/";
  static final String REVISION = "rev/";
  static final String INSTANCE = "inst/";
  static final String HEALTH = "health/";
  static final String TAGS = "tags/";
  static final String SERVICE_ATTRIBUTES = "svcattr/";
  static final String OPERATION = "op/";
  static final String NAMESPACE_NAME = "name/ns/";
  static final String SERVICE_NAME = "name/svc/";
  static final String REQUEST_ID = "req/";
  static final String VERSION = "meta/version";
  static final String MEMBERS = "members/";

  EtcdKeys {
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.startsWith("/") || !prefix.endsWith("/") || prefix.length() < 2) {
      throw new IllegalArgumentException(
          "an etcd key prefix starts and ends with / and names something, e.g. "
              + DEFAULT_PREFIX
              + ", not "
              + prefix);
    }
  }

  String namespace(String id) {
    return prefix + NAMESPACE + id;
  }

  String service(String id) {
    return prefix + SERVICE + id;
  }

  String revision(String serviceId) {
    return prefix + REVISION + serviceId;
  }

  String instance(String serviceId, String instanceId) {
    return prefix + INSTANCE + serviceId + "/" + instanceId;
  }

  String health(String serviceId, String instanceId) {
    return prefix + HEALTH + serviceId + "/" + instanceId;
  }

  String tags(String resourceId) {
    return prefix + TAGS + resourceId;
  }

  String serviceAttributes(String serviceId) {
    return prefix + SERVICE_ATTRIBUTES + serviceId;
  }

  String operation(String id) {
    return prefix + OPERATION + id;
  }

  /** Holds the id of the namespace with this name, compared as DNS compares names. */
  String namespaceName(String name) {
    return prefix + NAMESPACE_NAME + DnsNames.canonical(name);
  }

  /** Holds the id of the service with this name in the namespace. */
  String serviceName(String namespaceId, String name) {
    return prefix + SERVICE_NAME + namespaceId + "/" + DnsNames.canonical(name);
  }

  /** Holds the id of the operation made with this request id. */
  String requestId(OperationType type, String requestId) {
    return prefix + REQUEST_ID + type.name() + "/" + requestId;
  }

  /** The replicas that check health: one key per live replica, under its lease. */
  String members() {
    return prefix + MEMBERS;
  }

  String member(String id) {
    return prefix + MEMBERS + id;
  }

  String version() {
    return prefix + VERSION;
  }

  /** The first key after every key under the prefix: the end of a range over the registry. */
  String end() {
    return prefix.substring(0, prefix.length() - 1)
        + (char) (prefix.charAt(prefix.length() - 1) + 1);
  }

  /** The part of {@code key} after the prefix, or null for a key outside it. */
  String relative(String key) {
    return key.startsWith(prefix) ? key.substring(prefix.length()) : null;
  }
}
