package dev.cloudmapdns.server.registry;

import static dev.cloudmapdns.server.testing.InstanceAttributes.attributes;
import static dev.cloudmapdns.server.testing.NamespaceSpecs.http;
import static dev.cloudmapdns.server.testing.NamespaceSpecs.privateDns;
import static dev.cloudmapdns.server.testing.NamespaceSpecs.publicDns;
import static dev.cloudmapdns.server.testing.ServiceSpecBuilder.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.testing.InstanceAttributes;
import dev.cloudmapdns.server.testing.ServiceSpecBuilder;
import dev.cloudmapdns.server.testing.TestRegistries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The registry's commands: what each one changes, refuses and publishes. */
class RegistryTest {
  private static final String ID_SUFFIX = "[a-z0-9]{16}";

  private Registry registry;

  @BeforeEach
  void newRegistry() {
    registry = TestRegistries.newRegistry();
  }

  private Namespace appLocal() {
    return registry.createNamespace(privateDns("app.local"));
  }

  private Service serviceIn(Namespace namespace, ServiceSpecBuilder spec) {
    return registry.createService(spec.in(namespace.id()).build());
  }

  private Service backendApi() {
    return serviceIn(appLocal(), service("backend-api").records(RecordType.A));
  }

  private static RegistryException refused(RegistryError expected, Runnable command) {
    RegistryException e = assertThrows(RegistryException.class, command::run);
    assertEquals(expected, e.error(), e.getMessage());
    return e;
  }

  @Nested
  class Namespaces {
    @Test
    void createsANamespaceWithACloudMapIdAndArn() {
      Namespace namespace = appLocal();

      assertTrue(namespace.id().matches("ns-" + ID_SUFFIX), namespace.id());
      assertEquals(
          "arn:aws:servicediscovery:"
              + TestRegistries.REGION
              + ":"
              + TestRegistries.ACCOUNT
              + ":namespace/"
              + namespace.id(),
          namespace.arn());
      assertEquals("app.local", namespace.name());
      assertEquals(NamespaceType.DNS_PRIVATE, namespace.type());
      assertEquals(TestRegistries.NOW, namespace.createDate());
      assertSame(namespace, registry.state().namespace(namespace.id()).orElseThrow());
    }

    @Test
    void mintsADifferentIdForEveryNamespace() {
      Namespace first = registry.createNamespace(privateDns("one.local"));
      Namespace second = registry.createNamespace(privateDns("two.local"));

      assertNotEquals(first.id(), second.id());
    }

    @Test
    void usesCloudMapsSoaTtlWhenNoneIsGiven() {
      assertEquals(Namespace.DEFAULT_SOA_TTL, appLocal().soaTtl());
    }

    @Test
    void keepsTheSoaTtlItIsGiven() {
      NamespaceSpec spec =
          new NamespaceSpec("app.local", NamespaceType.DNS_PRIVATE, null, 300L, "vpc-1", null);

      assertEquals(300, registry.createNamespace(spec).soaTtl());
    }

    @Test
    void createsNamespacesOfEveryType() {
      assertEquals(NamespaceType.HTTP, registry.createNamespace(http("api")).type());
      assertEquals(
          NamespaceType.DNS_PUBLIC, registry.createNamespace(publicDns("example.com")).type());
      assertEquals(NamespaceType.DNS_PRIVATE, appLocal().type());
      assertEquals(3, registry.state().namespaces().size());
    }

    @Test
    void deletesANamespace() {
      Namespace namespace = appLocal();

      registry.deleteNamespace(namespace.id());

      assertTrue(registry.state().namespace(namespace.id()).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"app.local", "APP.LOCAL", "App.Local", "app.local.", "APP.local."})
    void refusesANameThatDiffersOnlyByCaseOrATrailingDot(String name) {
      Namespace existing = appLocal();

      RegistryException e =
          refused(
              RegistryError.NAMESPACE_ALREADY_EXISTS,
              () -> registry.createNamespace(privateDns(name)));

      assertTrue(e.getMessage().contains(existing.id()), e.getMessage());
      assertEquals(1, registry.state().namespaces().size());
    }

    @Test
    void refusesToDeleteANamespaceThatStillHasServices() {
      Namespace namespace = appLocal();
      Service service = serviceIn(namespace, service("backend-api"));

      refused(RegistryError.RESOURCE_IN_USE, () -> registry.deleteNamespace(namespace.id()));

      registry.deleteService(service.id());
      registry.deleteNamespace(namespace.id());
      assertTrue(registry.state().namespaces().isEmpty());
    }

    @Test
    void cannotDeleteAnUnknownNamespace() {
      refused(
          RegistryError.NAMESPACE_NOT_FOUND, () -> registry.deleteNamespace("ns-0000000000000000"));
    }

    @Test
    void aDeletedNamespaceIsGoneForGood() {
      Namespace namespace = appLocal();
      registry.deleteNamespace(namespace.id());

      refused(RegistryError.NAMESPACE_NOT_FOUND, () -> registry.deleteNamespace(namespace.id()));
      refused(
          RegistryError.NAMESPACE_NOT_FOUND,
          () -> registry.createService(service("backend-api").in(namespace.id()).build()));
    }
  }

  @Nested
  class Services {
    @Test
    void createsAServiceWithACloudMapIdAndArnInItsNamespace() {
      Namespace namespace = appLocal();

      Service service =
          serviceIn(namespace, service("backend-api").records(RecordType.A).description("api"));

      assertTrue(service.id().matches("srv-" + ID_SUFFIX), service.id());
      assertEquals(
          "arn:aws:servicediscovery:"
              + TestRegistries.REGION
              + ":"
              + TestRegistries.ACCOUNT
              + ":service/"
              + service.id(),
          service.arn());
      assertEquals(namespace.id(), service.namespaceId());
      assertEquals("api", service.description());
      assertEquals(TestRegistries.NOW, service.createDate());
      ServiceEntry entry = registry.state().service(service.id()).orElseThrow();
      assertSame(service, entry.service());
      assertTrue(entry.instances().isEmpty());
      assertEquals(0, entry.instancesRevision());
      assertEquals(List.of(entry), registry.state().servicesIn(namespace.id()));
    }

    @Test
    void aServiceWithoutDnsRecordsIsOfTypeHttp() {
      Namespace namespace = appLocal();

      assertEquals("HTTP", serviceIn(namespace, service("api-only")).type());
      assertEquals(
          "DNS_HTTP", serviceIn(namespace, service("with-dns").records(RecordType.A)).type());
    }

    @ParameterizedTest
    @ValueSource(strings = {"backend-api", "Backend-Api", "BACKEND-API"})
    void refusesANameThatDiffersOnlyByCaseWithinANamespace(String name) {
      Namespace namespace = appLocal();
      Service existing = serviceIn(namespace, service("backend-api"));

      RegistryException e =
          refused(
              RegistryError.SERVICE_ALREADY_EXISTS,
              () -> serviceIn(namespace, service(name).records(RecordType.A)));

      assertTrue(e.getMessage().contains(existing.id()), e.getMessage());
      assertEquals(1, registry.state().servicesIn(namespace.id()).size());
    }

    @Test
    void allowsTheSameNameInAnotherNamespace() {
      Namespace app = appLocal();
      Namespace other = registry.createNamespace(privateDns("other.local"));
      Service first = serviceIn(app, service("backend-api"));

      Service second = serviceIn(other, service("backend-api"));

      assertNotEquals(first.id(), second.id());
      assertEquals(2, registry.state().services().size());
    }

    @Test
    void deletesAService() {
      Service service = backendApi();

      registry.deleteService(service.id());

      assertTrue(registry.state().service(service.id()).isEmpty());
      assertTrue(registry.state().servicesIn(service.namespaceId()).isEmpty());
    }

    @Test
    void refusesToDeleteAServiceThatStillHasInstances() {
      Service service = backendApi();
      registry.registerInstance(service.id(), "i-1", attributes().ipv4("10.0.0.1").build(), null);

      refused(RegistryError.RESOURCE_IN_USE, () -> registry.deleteService(service.id()));

      registry.deregisterInstance(service.id(), "i-1");
      registry.deleteService(service.id());
      assertTrue(registry.state().services().isEmpty());
    }

    @Test
    void cannotCreateAServiceInAnUnknownNamespace() {
      refused(
          RegistryError.NAMESPACE_NOT_FOUND,
          () -> registry.createService(service("backend-api").in("ns-0000000000000000").build()));
    }

    @Test
    void cannotDeleteAnUnknownService() {
      refused(
          RegistryError.SERVICE_NOT_FOUND, () -> registry.deleteService("srv-0000000000000000"));
    }

    @Test
    void listsTheServicesOfANamespaceInCreationOrder() {
      Namespace app = appLocal();
      Namespace other = registry.createNamespace(privateDns("other.local"));
      Service first = serviceIn(app, service("first"));
      serviceIn(other, service("elsewhere"));
      Service second = serviceIn(app, service("second"));

      assertEquals(
          List.of(first, second),
          registry.state().servicesIn(app.id()).stream().map(ServiceEntry::service).toList());
    }
  }

  @Nested
  class Instances {
    private Service service;

    @BeforeEach
    void backendApiService() {
      service = backendApi();
    }

    private ServiceEntry entry() {
      return registry.state().service(service.id()).orElseThrow();
    }

    private RegisteredInstance register(String id, String ipv4) {
      return registry.registerInstance(service.id(), id, attributes().ipv4(ipv4).build(), null);
    }

    @Test
    void registersAnInstanceWithItsAttributes() {
      RegisteredInstance registered =
          registry.registerInstance(
              service.id(),
              "i-1",
              attributes().ipv4("10.0.0.1").put("stage", "blue").build(),
              "request-1");

      Instance instance = registered.instance();
      assertEquals("i-1", instance.id());
      assertEquals(Map.of(Instance.IPV4, "10.0.0.1", "stage", "blue"), instance.attributes());
      assertEquals("request-1", instance.creatorRequestId());
      assertEquals(TestRegistries.NOW, instance.registeredAt());
      assertSame(registered, entry().instances().get("i-1"));
      assertEquals(1, entry().instancesRevision());
    }

    @Test
    void reRegisteringAnIdReplacesItsAttributesKeepsItsHealthAndBumpsTheRevision() {
      register("i-1", "10.0.0.1");
      registry.updateHealth(service.id(), "i-1", HealthStatus.UNHEALTHY);
      long revision = entry().instancesRevision();

      RegisteredInstance replaced =
          registry.registerInstance(
              service.id(), "i-1", attributes().ipv4("10.0.0.2").put("v", "2").build(), null);

      assertEquals(Map.of(Instance.IPV4, "10.0.0.2", "v", "2"), replaced.instance().attributes());
      assertEquals(HealthStatus.UNHEALTHY, replaced.health());
      assertEquals(revision + 1, entry().instancesRevision());
      assertEquals(List.of("i-1"), List.copyOf(entry().instances().keySet()));
    }

    @Test
    void deregisteringRemovesTheInstanceAndBumpsTheRevision() {
      register("i-1", "10.0.0.1");
      register("i-2", "10.0.0.2");

      registry.deregisterInstance(service.id(), "i-1");

      assertEquals(List.of("i-2"), List.copyOf(entry().instances().keySet()));
      assertEquals(3, entry().instancesRevision());
    }

    @Test
    void cannotDeregisterAnUnknownInstance() {
      refused(
          RegistryError.INSTANCE_NOT_FOUND, () -> registry.deregisterInstance(service.id(), "i-9"));
    }

    @Test
    void cannotRegisterInAnUnknownService() {
      refused(
          RegistryError.SERVICE_NOT_FOUND,
          () ->
              registry.registerInstance(
                  "srv-0000000000000000", "i-1", attributes().ipv4("10.0.0.1").build(), null));
    }

    @Test
    void updatingHealthChangesTheStatusButNotTheRevision() {
      register("i-1", "10.0.0.1");
      long revision = entry().instancesRevision();

      assertTrue(registry.updateHealth(service.id(), "i-1", HealthStatus.UNHEALTHY));

      assertEquals(HealthStatus.UNHEALTHY, entry().instances().get("i-1").health());
      assertEquals(revision, entry().instancesRevision());
    }

    @Test
    void updatingHealthToTheCurrentStatusChangesNothing() {
      register("i-1", "10.0.0.1");
      RegistryState before = registry.state();

      assertFalse(registry.updateHealth(service.id(), "i-1", HealthStatus.HEALTHY));

      assertSame(before, registry.state());
    }

    @Test
    void cannotUpdateTheHealthOfAnUnknownInstanceOrService() {
      refused(
          RegistryError.INSTANCE_NOT_FOUND,
          () -> registry.updateHealth(service.id(), "i-9", HealthStatus.HEALTHY));
      refused(
          RegistryError.SERVICE_NOT_FOUND,
          () -> registry.updateHealth("srv-0000000000000000", "i-1", HealthStatus.HEALTHY));
    }
  }

  static Stream<Arguments> initialHealth() {
    UnaryOperator<ServiceSpecBuilder> none = s -> s;
    UnaryOperator<ServiceSpecBuilder> custom = ServiceSpecBuilder::customHealth;
    UnaryOperator<ServiceSpecBuilder> active = ServiceSpecBuilder::httpHealthCheck;
    return Stream.of(
        Arguments.of("no health config", none, null, HealthStatus.HEALTHY),
        Arguments.of("custom health", custom, null, HealthStatus.HEALTHY),
        Arguments.of("custom health, init HEALTHY", custom, "HEALTHY", HealthStatus.HEALTHY),
        Arguments.of("custom health, init UNHEALTHY", custom, "UNHEALTHY", HealthStatus.UNHEALTHY),
        Arguments.of("active health check", active, null, HealthStatus.UNKNOWN));
  }

  @ParameterizedTest(name = "{0} -> {3}")
  @MethodSource
  void initialHealth(
      String situation,
      UnaryOperator<ServiceSpecBuilder> health,
      String initHealthStatus,
      HealthStatus expected) {
    Service service =
        serviceIn(appLocal(), health.apply(service("backend-api").records(RecordType.A)));
    InstanceAttributes instance = attributes().ipv4("10.0.0.1").port(8080);
    if (initHealthStatus != null) {
      instance.initHealth(initHealthStatus);
    }

    RegisteredInstance registered =
        registry.registerInstance(service.id(), "i-1", instance.build(), null);

    assertEquals(expected, registered.health(), situation);
  }

  @Nested
  class Publication {
    private final List<RegistryState> published = new ArrayList<>();

    @BeforeEach
    void listen() {
      registry.addListener(published::add);
    }

    @Test
    void aNewListenerReceivesTheCurrentStateAtOnce() {
      assertEquals(List.of(RegistryState.empty()), published);
    }

    @Test
    void listenersReceiveEveryStateInOrderBeforeTheCommandReturns() {
      List<RegistryState> seenByCommand = new ArrayList<>();
      Namespace namespace = appLocal();
      seenByCommand.add(last());
      Service service = serviceIn(namespace, service("backend-api").records(RecordType.A));
      seenByCommand.add(last());
      registry.registerInstance(service.id(), "i-1", attributes().ipv4("10.0.0.1").build(), null);
      seenByCommand.add(last());
      registry.updateHealth(service.id(), "i-1", HealthStatus.UNHEALTHY);
      seenByCommand.add(last());
      registry.deregisterInstance(service.id(), "i-1");
      seenByCommand.add(last());
      registry.deleteService(service.id());
      seenByCommand.add(last());
      registry.deleteNamespace(namespace.id());
      seenByCommand.add(last());

      assertEquals(8, published.size());
      assertEquals(published.subList(1, 8), seenByCommand);
      for (int i = 0; i < published.size(); i++) {
        assertEquals(i, published.get(i).version());
      }
      assertSame(registry.state(), last());
    }

    private RegistryState last() {
      return published.get(published.size() - 1);
    }

    @Test
    void everyListenerIsTold() {
      List<RegistryState> second = new ArrayList<>();
      registry.addListener(second::add);

      appLocal();

      assertSame(last(), second.get(second.size() - 1));
      assertEquals(2, second.size());
    }

    @Test
    void aRefusedCommandPublishesNothing() {
      Namespace namespace = appLocal();
      Service service = serviceIn(namespace, service("backend-api").records(RecordType.A));
      registry.registerInstance(service.id(), "i-1", attributes().ipv4("10.0.0.1").build(), null);
      RegistryState before = registry.state();
      int count = published.size();
      List<Runnable> refusedCommands =
          List.of(
              () -> registry.createNamespace(privateDns("app.local")),
              () -> registry.createNamespace(privateDns("not a name")),
              () -> registry.deleteNamespace(namespace.id()),
              () -> registry.deleteNamespace("ns-0000000000000000"),
              () -> serviceIn(namespace, service("backend-api")),
              () -> serviceIn(namespace, service("-bad-")),
              () -> registry.deleteService(service.id()),
              () -> registry.registerInstance(service.id(), "i-2", Map.of(), null),
              () -> registry.deregisterInstance(service.id(), "i-2"),
              () -> registry.updateHealth(service.id(), "i-2", HealthStatus.HEALTHY));

      for (Runnable command : refusedCommands) {
        assertThrows(RegistryException.class, command::run);
      }

      assertEquals(count, published.size());
      assertSame(before, registry.state());
    }

    @Test
    void noOpHealthUpdatePublishesNothing() {
      Service service = backendApi();
      registry.registerInstance(service.id(), "i-1", attributes().ipv4("10.0.0.1").build(), null);
      int count = published.size();

      registry.updateHealth(service.id(), "i-1", HealthStatus.HEALTHY);

      assertEquals(count, published.size());
    }
  }

  @Nested
  class Immutability {
    @Test
    void aPublishedStateNeverChanges() {
      Namespace namespace = appLocal();
      Service service = serviceIn(namespace, service("backend-api").records(RecordType.A));
      registry.registerInstance(service.id(), "i-1", attributes().ipv4("10.0.0.1").build(), null);
      RegistryState snapshot = registry.state();
      ServiceEntry entry = snapshot.service(service.id()).orElseThrow();
      long version = snapshot.version();

      registry.registerInstance(service.id(), "i-1", attributes().ipv4("10.0.0.9").build(), null);
      registry.registerInstance(service.id(), "i-2", attributes().ipv4("10.0.0.2").build(), null);
      registry.updateHealth(service.id(), "i-1", HealthStatus.UNHEALTHY);
      registry.createNamespace(privateDns("other.local"));
      registry.deregisterInstance(service.id(), "i-2");

      assertEquals(version, snapshot.version());
      assertEquals(1, snapshot.namespaces().size());
      assertSame(entry, snapshot.service(service.id()).orElseThrow());
      assertEquals(1, entry.instancesRevision());
      assertEquals(List.of("i-1"), List.copyOf(entry.instances().keySet()));
      RegisteredInstance first = entry.instances().get("i-1");
      assertEquals("10.0.0.1", first.instance().ipv4());
      assertEquals(HealthStatus.HEALTHY, first.health());
    }

    @Test
    void aPublishedStateCannotBeModifiedThroughItsCollections() {
      Service service = backendApi();
      registry.registerInstance(service.id(), "i-1", attributes().ipv4("10.0.0.1").build(), null);
      RegistryState state = registry.state();
      ServiceEntry entry = state.service(service.id()).orElseThrow();
      Instance instance = entry.instances().get("i-1").instance();

      assertThrows(UnsupportedOperationException.class, () -> state.namespaces().clear());
      assertThrows(UnsupportedOperationException.class, () -> state.services().clear());
      assertThrows(UnsupportedOperationException.class, () -> entry.instances().clear());
      assertThrows(UnsupportedOperationException.class, () -> instance.attributes().clear());
      assertThrows(
          UnsupportedOperationException.class,
          () -> state.servicesIn(service.namespaceId()).clear());
    }

    @Test
    void theCallersAttributeMapIsCopied() {
      Service service = backendApi();
      Map<String, String> attributes = attributes().ipv4("10.0.0.1").build();
      registry.registerInstance(service.id(), "i-1", attributes, null);

      attributes.put(Instance.IPV4, "10.0.0.2");

      Instance instance =
          registry.state().service(service.id()).orElseThrow().instances().get("i-1").instance();
      assertEquals("10.0.0.1", instance.ipv4());
    }

    @Test
    void unchangedEntriesAreSharedBetweenStates() {
      Service first = backendApi();
      Namespace other = registry.createNamespace(privateDns("other.local"));
      ServiceEntry before = registry.state().service(first.id()).orElseThrow();

      serviceIn(other, service("elsewhere").records(RecordType.A));

      assertSame(before, registry.state().service(first.id()).orElseThrow());
    }
  }
}
