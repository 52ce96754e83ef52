package dev.cloudmapdns.server.app;

import dev.cloudmapdns.server.store.etcd.EtcdSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The etcd cluster of {@code cloudmap.store.type=etcd} ({@code cloudmap.store.etcd.*}); see
 * docs/store.md.
 *
 * @param endpoints the members' client URLs, comma-separated ({@code --etcd-endpoints})
 * @param prefix the key prefix the registry lives under; replicas of one registry share it
 * @param user etcd user name, with {@code password}, when the cluster has authentication on
 * @param password the user's password
 * @param caFile PEM CA certificate(s) to trust for {@code https://} endpoints (the JVM's when
 *     unset)
 * @param certFile PEM client certificate chain for mutual TLS, with {@code keyFile}
 * @param keyFile its PKCS#8 PEM private key
 * @param timeout how long one read or commit may take before the write is refused
 * @param maxTxnOps the members' {@code --max-txn-ops} (etcd's default 128): how many puts and
 *     deletes one transaction may hold
 * @param memberTtl the TTL of the etcd lease each replica holds while it runs health checks: a dead
 *     replica's checks move to the others within it
 */
@ConfigurationProperties("cloudmap.store.etcd")
public record EtcdConfiguration(
    @Nullable List<String> endpoints,
    @Bindable(defaultValue = "/cloudmap-dns/") String prefix,
    @Nullable String user,
    @Nullable String password,
    @Nullable Path caFile,
    @Nullable Path certFile,
    @Nullable Path keyFile,
    @Bindable(defaultValue = "10s") Duration timeout,
    @Bindable(defaultValue = "128") int maxTxnOps,
    @Bindable(defaultValue = "10s") Duration memberTtl) {

  /** The settings, or a message naming the setting that is wrong. */
  EtcdSettings settings() {
    if (endpoints == null || endpoints.isEmpty()) {
      throw new ConfigurationException(
          "cloudmap.store.etcd.endpoints: --store=etcd needs --etcd-endpoints=http://host:2379,...");
    }
    try {
      return new EtcdSettings(
          endpoints.stream().map(String::trim).map(URI::create).toList(),
          prefix,
          user,
          password,
          caFile,
          certFile,
          keyFile,
          timeout,
          maxTxnOps);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("cloudmap.store.etcd: " + e.getMessage());
    }
  }
}
