package dev.cloudmapdns.server.registry;

import static dev.cloudmapdns.server.testing.InstanceAttributes.attributes;
import static dev.cloudmapdns.server.testing.NamespaceSpecs.privateDns;
import static dev.cloudmapdns.server.testing.ServiceSpecBuilder.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.health.CheckTarget;
import dev.cloudmapdns.server.testing.ServiceSpecBuilder;
import dev.cloudmapdns.server.testing.TestRegistries;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Instances belong to whoever registered them: the API or the Kubernetes watcher. */
class InstanceOwnershipTest {
  private static final Map<String, String> POD =
      attributes()
          .ipv4("127.0.0.7")
          .port(8080)
          .put("K8S_NAMESPACE", "shop")
          .put("K8S_POD_NAME", "backend-7f9c")
          .build();

  private Registry registry;
  private Namespace namespace;

  @BeforeEach
  void newRegistry() {
    registry = TestRegistries.newRegistry();
    namespace = registry.createNamespace(privateDns("app.local"));
  }

  private Service serviceWith(ServiceSpecBuilder spec) {
    return registry.createService(spec.in(namespace.id()).build());
  }

  private void registerPod(Service service, String instanceId) {
    registry.registerInstance(
        new Registration(service.id(), instanceId, POD, null, InstanceOwner.KUBERNETES));
  }

  private RegisteredInstance instance(Service service, String instanceId) {
    return registry.state().services().get(service.id()).instances().get(instanceId);
  }

  private static RegistryException refusedInUse(Runnable command) {
    RegistryException e = assertThrows(RegistryException.class, command::run);
    assertEquals(RegistryError.RESOURCE_IN_USE, e.error(), e.getMessage());
    return e;
  }

  @Test
  void aPodsInstanceStartsUnhealthyUntilItsReadinessIsSet() {
    Service backend = serviceWith(service("backend").records(RecordType.A));
    registerPod(backend, "task-1");

    assertEquals(InstanceOwner.KUBERNETES, instance(backend, "task-1").instance().owner());
    assertEquals(HealthStatus.UNHEALTHY, instance(backend, "task-1").health());

    assertTrue(registry.updateReadiness(backend.id(), "task-1", HealthStatus.HEALTHY));
    assertEquals(HealthStatus.HEALTHY, instance(backend, "task-1").health());
  }

  @Test
  void anInstanceRegisteredThroughTheApiIsOwnedByTheApi() {
    Service backend = serviceWith(service("backend").records(RecordType.A));
    registry.registerInstance(backend.id(), "i-1", POD, null);

    assertEquals(InstanceOwner.API, instance(backend, "i-1").instance().owner());
  }

  static Stream<Arguments> apiCommandsOnAPodsInstance() {
    return Stream.of(
        Arguments.of(
            "RegisterInstance",
            (Consumer<Fixture>)
                f -> f.registry.registerInstance(f.service.id(), "task-1", POD, null)),
        Arguments.of(
            "DeregisterInstance",
            (Consumer<Fixture>) f -> f.registry.deregisterInstance(f.service.id(), "task-1")),
        Arguments.of(
            "UpdateInstanceCustomHealthStatus",
            (Consumer<Fixture>)
                f ->
                    f.registry.updateCustomHealth(
                        f.service.id(), "task-1", HealthStatus.UNHEALTHY)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("apiCommandsOnAPodsInstance")
  void theApiCannotChangeAnInstanceThatFollowsAPod(String operation, Consumer<Fixture> command) {
    Service backend = serviceWith(service("backend").records(RecordType.A).customHealth(1));
    registerPod(backend, "task-1");
    registry.updateReadiness(backend.id(), "task-1", HealthStatus.HEALTHY);
    RegisteredInstance before = instance(backend, "task-1");

    RegistryException e = refusedInUse(() -> command.accept(new Fixture(registry, backend)));

    assertTrue(e.getMessage().contains("pod shop/backend-7f9c"), e.getMessage());
    assertEquals(before, instance(backend, "task-1"));
  }

  static Stream<Arguments> watcherCommandsOnAnApiInstance() {
    return Stream.of(
        Arguments.of(
            "register",
            (Consumer<Fixture>)
                f ->
                    f.registry.registerInstance(
                        new Registration(
                            f.service.id(), "i-1", POD, null, InstanceOwner.KUBERNETES))),
        Arguments.of(
            "deregister",
            (Consumer<Fixture>)
                f ->
                    f.registry.deregisterInstance(f.service.id(), "i-1", InstanceOwner.KUBERNETES)),
        Arguments.of(
            "set readiness",
            (Consumer<Fixture>)
                f -> f.registry.updateReadiness(f.service.id(), "i-1", HealthStatus.UNHEALTHY)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("watcherCommandsOnAnApiInstance")
  void theWatcherNeverTouchesAnInstanceRegisteredThroughTheApi(
      String what, Consumer<Fixture> command) {
    Service backend = serviceWith(service("backend").records(RecordType.A));
    registry.registerInstance(backend.id(), "i-1", POD, null);
    RegisteredInstance before = instance(backend, "i-1");

    RegistryException e = refusedInUse(() -> command.accept(new Fixture(registry, backend)));

    assertTrue(e.getMessage().contains("registered through the API"), e.getMessage());
    assertEquals(before, instance(backend, "i-1"));
  }

  @Test
  void theWatcherDeregistersItsOwnInstances() {
    Service backend = serviceWith(service("backend").records(RecordType.A));
    registerPod(backend, "task-1");

    registry.deregisterInstance(backend.id(), "task-1", InstanceOwner.KUBERNETES);

    assertEquals(Map.of(), registry.state().services().get(backend.id()).instances());
  }

  @Test
  void aPodsInstanceIsNeverProbedAndKeepsItsReadinessWhenTheCheckChanges() {
    Service checked = serviceWith(service("web").records(RecordType.A).httpHealthCheck());
    registerPod(checked, "task-1");
    registry.updateReadiness(checked.id(), "task-1", HealthStatus.HEALTHY);

    registry.updateService(
        checked.id(),
        new ServicePatch(null, null, new HealthCheckConfig(HealthCheckType.TCP, null, 2)));

    assertEquals(HealthStatus.HEALTHY, instance(checked, "task-1").health());
    assertEquals(
        Optional.empty(),
        CheckTarget.of(
            registry.state().services().get(checked.id()).service().healthCheckConfig(),
            instance(checked, "task-1").instance()));
  }

  record Fixture(Registry registry, Service service) {}
}
