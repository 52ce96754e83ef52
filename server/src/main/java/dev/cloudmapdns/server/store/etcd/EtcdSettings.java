package dev.cloudmapdns.server.store.etcd;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to reach the etcd cluster that holds the registry.
 *
 * @param endpoints client URLs of the members ({@code http://} or {@code https://}), at least one
 * @param prefix the key prefix the registry lives under, e.g. {@code /cloudmap-dns/}
 * @param user etcd user (with {@code password}), or null without authentication
 * @param trustedCa PEM file of the CA that signed the members' certificates, or null for the JVM's
 * @param clientCertificate PEM client certificate chain for mutual TLS (with {@code clientKey})
 * @param timeout how long one read or commit may take before it is refused
 * @param maxTxnOps the members' {@code --max-txn-ops}: the most puts and deletes one transaction
 *     may hold (etcd's default is 128). Concurrent commands are grouped into transactions up to it;
 *     one command that needs more is refused, saying so
 */
public record EtcdSettings(
    List<URI> endpoints,
    String prefix,
    String user,
    String password,
    Path trustedCa,
    Path clientCertificate,
    Path clientKey,
    Duration timeout,
    int maxTxnOps) {

  /** etcd's default {@code --max-txn-ops}. */
  public static final int DEFAULT_MAX_TXN_OPS = 128;

  public EtcdSettings {
    endpoints = List.copyOf(endpoints);
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(timeout, "timeout");
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no etcd endpoint given (--etcd-endpoints)");
    }
    for (URI endpoint : endpoints) {
      String scheme = endpoint.getScheme();
      if (!("http".equals(scheme) || "https".equals(scheme))
          || endpoint.getHost() == null
          || endpoint.getPort() < 0) {
        throw new IllegalArgumentException(
            "an etcd endpoint is http://host:port or https://host:port, not " + endpoint);
      }
    }
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException("an etcd user needs a password, and a password a user");
    }
    if ((clientCertificate == null) != (clientKey == null)) {
      throw new IllegalArgumentException(
          "an etcd client certificate needs its key, and a key its certificate");
    }
    if (maxTxnOps < 8) {
      throw new IllegalArgumentException(
          "max-txn-ops must be at least 8 (etcd's default is 128), not " + maxTxnOps);
    }
    new EtcdKeys(prefix); // refuses a malformed prefix here, with the reason
  }

  /** Plain endpoints, the default prefix and timeout: what the tests use. */
  public static EtcdSettings plain(List<String> endpoints) {
    return new EtcdSettings(
        endpoints.stream().map(URI::create).toList(),
        EtcdKeys.DEFAULT_PREFIX,
        null,
        null,
        null,
        null,
        null,
        Duration.ofSeconds(10),
        DEFAULT_MAX_TXN_OPS);
  }

  /** The same with another key prefix. */
  public EtcdSettings withPrefix(String otherPrefix) {
    return new EtcdSettings(
        endpoints,
        otherPrefix,
        user,
        password,
        trustedCa,
        clientCertificate,
        clientKey,
        timeout,
        maxTxnOps);
  }

  /** The same for members started with another {@code --max-txn-ops}. */
  public EtcdSettings withMaxTxnOps(int operations) {
    return new EtcdSettings(
        endpoints,
        prefix,
        user,
        password,
        trustedCa,
        clientCertificate,
        clientKey,
        timeout,
        operations);
  }

  boolean tls() {
    return endpoints.stream().anyMatch(e -> "https".equals(e.getScheme()));
  }
}
