package dev.cloudmapdns.server.testing;

import dev.cloudmapdns.server.registry.DnsConfig;
import dev.cloudmapdns.server.registry.DnsRecord;
import dev.cloudmapdns.server.registry.HealthCheckConfig;
import dev.cloudmapdns.server.registry.HealthCheckType;
import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.InitialCheckStatus;
import dev.cloudmapdns.server.registry.NamespaceSpec;
import dev.cloudmapdns.server.registry.NamespaceType;
import dev.cloudmapdns.server.registry.RecordType;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryIdentity;
import dev.cloudmapdns.server.registry.RoutingPolicy;
import dev.cloudmapdns.server.registry.ServiceEntry;
import dev.cloudmapdns.server.registry.ServiceSpec;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** A registry with one private DNS namespace, {@code app.local}, and small builders for tests. */
public final class RegistryFixture {
  public final Registry registry;
  public final String namespaceId;

  public RegistryFixture() {
    this(InitialCheckStatus.UNKNOWN_UNTIL_CHECKED);
  }

  public RegistryFixture(InitialCheckStatus initial) {
    registry =
        new Registry(new RegistryIdentity("us-east-1", "123456789012"), Clock.systemUTC(), initial);
    namespaceId =
        registry
            .createNamespace(
                new NamespaceSpec(
                    "app.local", NamespaceType.DNS_PRIVATE, null, null, "vpc-1", null))
            .id();
  }

  /** A MULTIVALUE A-record service, checked with {@code check} (or unchecked when null). */
  public String service(String name, HealthCheckConfig check) {
    return registry
        .createService(
            new ServiceSpec(
                name,
                namespaceId,
                null,
                new DnsConfig(RoutingPolicy.MULTIVALUE, List.of(new DnsRecord(RecordType.A, 60))),
                check,
                null,
                null))
        .id();
  }

  public static HealthCheckConfig http(String path, int threshold) {
    return new HealthCheckConfig(HealthCheckType.HTTP, path, threshold);
  }

  public static HealthCheckConfig tcp(int threshold) {
    return new HealthCheckConfig(HealthCheckType.TCP, null, threshold);
  }

  public void register(String serviceId, String instanceId, String ipv4, int port) {
    registry.registerInstance(
        serviceId,
        instanceId,
        Map.of("AWS_INSTANCE_IPV4", ipv4, "AWS_INSTANCE_PORT", Integer.toString(port)),
        null);
  }

  /** The instance's health, or null when it is not registered. */
  public HealthStatus health(String serviceId, String instanceId) {
    ServiceEntry entry = registry.state().services().get(serviceId);
    RegisteredInstance instance = entry == null ? null : entry.instances().get(instanceId);
    return instance == null ? null : instance.health();
  }
}
