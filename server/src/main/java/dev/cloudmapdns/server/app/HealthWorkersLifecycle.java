package dev.cloudmapdns.server.app;

import dev.cloudmapdns.server.health.CheckOwnership;
import dev.cloudmapdns.server.health.HealthCheckRunner;
import dev.cloudmapdns.server.health.HealthMetrics;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryStore;
import dev.cloudmapdns.server.store.etcd.EtcdMembership;
import dev.cloudmapdns.server.store.etcd.EtcdRegistryStore;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;

/**
 * Runs the health workers ({@link HealthCheckRunner}) for the life of the application. On a store
 * shared by replicas (etcd) this replica joins the others first, and checks only the instances it
 * owns ({@link EtcdMembership}); alone, it checks every one.
 */
@Context
@Requires(property = "cloudmap.health.enabled", notEquals = "false")
final class HealthWorkersLifecycle implements AutoCloseable {
  private final HealthCheckRunner runner;
  private final EtcdMembership membership;

  HealthWorkersLifecycle(
      Registry registry,
      RegistryStore store,
      HealthConfiguration config,
      EtcdConfiguration etcd,
      HealthMetrics metrics) {
    membership =
        store instanceof EtcdRegistryStore shared ? shared.membership(etcd.memberTtl()) : null;
    CheckOwnership ownership = membership != null ? membership : CheckOwnership.EVERY_INSTANCE;
    runner = new HealthCheckRunner(registry, config.settings(), metrics, ownership);
  }

  @Override
  @PreDestroy
  public void close() {
    runner.close();
    if (membership != null) {
      membership.close();
    }
  }
}
