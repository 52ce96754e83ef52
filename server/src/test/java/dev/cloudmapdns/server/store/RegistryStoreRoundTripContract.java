package dev.cloudmapdns.server.store;

import static dev.cloudmapdns.server.testing.InstanceAttributes.attributes;
import static dev.cloudmapdns.server.testing.ServiceSpecBuilder.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cloudmapdns.server.registry.HealthCheckConfig;
import dev.cloudmapdns.server.registry.HealthCheckType;
import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.InitialCheckStatus;
import dev.cloudmapdns.server.registry.InstanceOwner;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.NamespacePatch;
import dev.cloudmapdns.server.registry.NamespaceSpec;
import dev.cloudmapdns.server.registry.NamespaceType;
import dev.cloudmapdns.server.registry.Operation;
import dev.cloudmapdns.server.registry.OperationTarget;
import dev.cloudmapdns.server.registry.RecordType;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.Registration;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryIdentity;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.RegistryStore;
import dev.cloudmapdns.server.registry.Service;
import dev.cloudmapdns.server.registry.ServiceEntry;
import dev.cloudmapdns.server.registry.ServicePatch;
import dev.cloudmapdns.server.registry.ServiceSpec;
import dev.cloudmapdns.server.testing.TestRegistries;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RegistryStore} promises: everything a registry holds comes back, equal and in
 * the same order, after a restart. Each store's test extends this with {@link #openStore}; test
 * methods are public so that a subclass in another package runs them.
 */
public abstract class RegistryStoreRoundTripContract {
  private static final InitialCheckStatus INITIAL = InitialCheckStatus.UNKNOWN_UNTIL_CHECKED;

  private Registry registry;

  /** A fresh store on the same data as every earlier call of this test. */
  protected abstract RegistryStore openStore();

  /**
   * Whether the store keeps health found by active checks (a store shared by replicas does, so
   * every replica answers what the one checking found); else it is found again after a restart.
   */
  protected boolean keepsCheckHealth() {
    return false;
  }

  @BeforeEach
  public void openRegistry() {
    registry = reopen();
  }

  @AfterEach
  public void closeRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  /** A registry on a fresh store of the same data; the system clock, so instants carry micros. */
  private Registry reopen() {
    return new Registry(
        new RegistryIdentity(TestRegistries.REGION, TestRegistries.ACCOUNT),
        Clock.systemUTC(),
        INITIAL,
        openStore());
  }

  private RegistryState restarted() {
    registry.close();
    registry = reopen();
    return registry.state();
  }

  @Test
  public void restoresEveryResourceKindEqualAndInCreationOrder() {
    Operation httpCreated =
        registry.createNamespace(
            new NamespaceSpec(
                "api.example", NamespaceType.HTTP, "the API", null, null, "create-http"),
            tags("team", "payments", "env", "prod"));
    String httpId = httpCreated.target(OperationTarget.NAMESPACE);
    Namespace privateDns =
        registry.createNamespace(
            new NamespaceSpec(
                "app.local", NamespaceType.DNS_PRIVATE, "private", 30L, "vpc-1", null));
    Namespace publicDns =
        registry.createNamespace(
            new NamespaceSpec("example.com", NamespaceType.DNS_PUBLIC, null, null, null, null));
    String doomedId =
        registry
            .createNamespace(
                new NamespaceSpec("gone.example", NamespaceType.HTTP, null, null, null, null),
                tags("k", "v"))
            .target(OperationTarget.NAMESPACE);

    ServiceSpec customSpec =
        service("backend")
            .in(privateDns.id())
            .description("custom health")
            .record(RecordType.A, 60)
            .record(RecordType.AAAA, 120)
            .record(RecordType.SRV, 30)
            .customHealth(2)
            .build();
    Service custom = registry.createService(withRequestId(customSpec, "create-backend"));
    Service checked =
        registry.createService(
            service("web")
                .in(publicDns.id())
                .weighted()
                .record(RecordType.A, 300)
                .httpHealthCheck()
                .build());
    Service plain = registry.createService(service("api").in(httpId).build(), tags("a", "1"));
    Service doomedService =
        registry.createService(service("old").in(httpId).build(), tags("x", "y"));
    registry.updateServiceAttributes(doomedService.id(), Map.of("stage", "old"));

    registry.registerInstance(
        custom.id(), "i-1", attributes().ipv4("127.0.0.1").ipv6("::1").port(8080).build(), null);
    registry.registerInstance(
        custom.id(),
        "i-2",
        attributes().ipv4("127.0.0.2").ipv6("::1").port(80).put("zone", "a").build(),
        "register-i-2");
    registry.registerInstance(
        custom.id(), "i-3", attributes().ipv4("127.0.0.3").ipv6("::1").port(80).build(), null);
    registry.registerInstance(
        custom.id(), "i-1", attributes().ipv4("127.0.0.11").ipv6("::1").port(9090).build(), null);
    registry.deregisterInstance(custom.id(), "i-3");
    registry.updateCustomHealth(custom.id(), "i-2", HealthStatus.UNHEALTHY);
    registry.registerInstance(
        checked.id(), "w-1", attributes().ipv4("127.0.0.1").port(8080).build(), null);
    registry.registerInstance(
        plain.id(), "p-1", attributes().put("url", "http://127.0.0.3/").build(), null);

    registry.tagResource(custom.arn(), tags("owner", "me", "tier", "1", "cost", "9"));
    registry.untagResource(custom.arn(), List.of("tier"));
    registry.updateServiceAttributes(custom.id(), tags("a", "1", "b", "2", "c", "3"));
    registry.deleteServiceAttributes(custom.id(), List.of("b"));
    registry.updateNamespace(
        privateDns.id(), new NamespacePatch(NamespaceType.DNS_PRIVATE, "changed", 45L, "upd-1"));
    registry.updateService(
        checked.id(),
        new ServicePatch("now TCP", null, new HealthCheckConfig(HealthCheckType.TCP, null, 3)));
    // Found by an active check: published, stored only by a shared store.
    registry.updateHealth(checked.id(), "w-1", HealthStatus.HEALTHY);
    registry.deleteService(doomedService.id());
    registry.deleteNamespace(doomedId);
    RegistryState before = registry.state();

    RegistryState after = restarted();

    assertEquals(before.version(), after.version());
    assertEquals(before.namespaces(), after.namespaces());
    assertEquals(keys(before.namespaces()), keys(after.namespaces()));
    assertEquals(keys(before.services()), keys(after.services()));
    assertEquals(before.services().get(custom.id()), after.services().get(custom.id()));
    assertEquals(List.of("i-1", "i-2"), keys(after.services().get(custom.id()).instances()));
    assertEquals(
        HealthStatus.UNHEALTHY, after.services().get(custom.id()).instances().get("i-2").health());
    assertEquals(before.services().get(plain.id()), after.services().get(plain.id()));
    assertEquals(
        keepsCheckHealth()
            ? before.services().get(checked.id())
            : withHealth(before.services().get(checked.id()), INITIAL.status()),
        after.services().get(checked.id()));
    assertNull(after.namespaces().get(doomedId));
    assertNull(after.services().get(doomedService.id()));
    assertEquals(before.tags(custom.id()), after.tags(custom.id()));
    assertEquals(List.of("owner", "cost"), keys(after.tags(custom.id())));
    assertEquals(before.tags(httpId), after.tags(httpId));
    assertEquals(before.tags(plain.id()), after.tags(plain.id()));
    assertEquals(Map.of(), after.tags(doomedId));
    assertEquals(Map.of(), after.tags(doomedService.id()));
    assertEquals(List.of("a", "c"), keys(after.serviceAttributes(custom.id())));
    assertEquals(Map.of(), after.serviceAttributes(doomedService.id()));
    assertEquals(
        HealthStatus.HEALTHY, before.services().get(checked.id()).instances().get("w-1").health());
    assertEquals(before.operations(), after.operations());
    assertEquals(keys(before.operations()), keys(after.operations()));
  }

  @Test
  public void aPodsInstanceComesBackOwnedByTheWatcherWithItsReadiness() {
    Namespace namespace =
        registry.createNamespace(
            new NamespaceSpec("app.local", NamespaceType.DNS_PRIVATE, null, null, "vpc-1", null));
    Service checked =
        registry.createService(
            service("web").in(namespace.id()).records(RecordType.A).httpHealthCheck().build());
    registry.registerInstance(
        new Registration(
            checked.id(),
            "task-1",
            attributes().ipv4("127.0.0.7").port(80).build(),
            null,
            InstanceOwner.KUBERNETES));
    registry.updateReadiness(checked.id(), "task-1", HealthStatus.HEALTHY);
    registry.registerInstance(
        checked.id(), "i-1", attributes().ipv4("127.0.0.1").port(80).build(), null);

    RegistryState after = restarted();

    RegisteredInstance pod = after.services().get(checked.id()).instances().get("task-1");
    assertEquals(InstanceOwner.KUBERNETES, pod.instance().owner());
    assertEquals(HealthStatus.HEALTHY, pod.health());
    RegisteredInstance api = after.services().get(checked.id()).instances().get("i-1");
    assertEquals(InstanceOwner.API, api.instance().owner());
    assertEquals(INITIAL.status(), api.health());
  }

  @Test
  public void retriesWithTheSameRequestIdAreRecognizedAfterARestart() {
    Operation created =
        registry.createNamespace(
            new NamespaceSpec(
                "app.local", NamespaceType.DNS_PRIVATE, null, null, "vpc-1", "ns-req"),
            Map.of());
    String namespaceId = created.target(OperationTarget.NAMESPACE);
    Service backend =
        registry.createService(
            withRequestId(service("backend").in(namespaceId).records(RecordType.A).build(), "s"));
    Map<String, String> attributes = attributes().ipv4("127.0.0.1").build();
    Operation registered =
        registry.registerInstance(new Registration(backend.id(), "i-1", attributes, "reg-req"));

    RegistryState restored = restarted();

    assertEquals(
        created,
        registry.createNamespace(
            new NamespaceSpec(
                "app.local", NamespaceType.DNS_PRIVATE, null, null, "vpc-1", "ns-req"),
            Map.of()));
    assertEquals(
        backend,
        registry.createService(
            withRequestId(service("backend").in(namespaceId).records(RecordType.A).build(), "s")));
    assertEquals(
        registered,
        registry.registerInstance(new Registration(backend.id(), "i-1", attributes, "reg-req")));
    assertEquals(restored.version(), registry.state().version());
  }

  @Test
  public void theVersionContinuesAfterARestart() {
    Namespace namespace =
        registry.createNamespace(
            new NamespaceSpec("a.example", NamespaceType.HTTP, null, null, null, null));
    long version = registry.state().version();

    assertEquals(version, restarted().version());
    registry.updateNamespace(
        namespace.id(), new NamespacePatch(NamespaceType.HTTP, "again", null, null));
    assertEquals(version + 1, registry.state().version());
    assertEquals(version + 1, restarted().version());
    assertEquals("again", registry.state().namespaces().get(namespace.id()).description());
  }

  @Test
  public void aNewStoreStartsAnEmptyRegistry() {
    RegistryState empty = restarted();

    assertEquals(0, empty.version());
    assertEquals(Map.of(), empty.namespaces());
    assertEquals(Map.of(), empty.operations());
  }

  private static ServiceSpec withRequestId(ServiceSpec spec, String requestId) {
    return new ServiceSpec(
        spec.name(),
        spec.namespaceId(),
        spec.description(),
        spec.dnsConfig(),
        spec.healthCheckConfig(),
        spec.healthCheckCustomConfig(),
        requestId);
  }

  private static ServiceEntry withHealth(ServiceEntry entry, HealthStatus health) {
    Map<String, RegisteredInstance> instances = new LinkedHashMap<>();
    entry.instances().forEach((id, instance) -> instances.put(id, instance.withHealth(health)));
    return new ServiceEntry(entry.service(), instances, entry.instancesRevision());
  }

  /** An ordered map of key/value pairs. */
  private static Map<String, String> tags(String... keysAndValues) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      tags.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return tags;
  }

  private static List<String> keys(Map<String, ?> map) {
    return new ArrayList<>(map.keySet());
  }
}
