package dev.cloudmapdns.server.kubernetes;

import static dev.cloudmapdns.server.kubernetes.TestPods.kecsPod;
import static dev.cloudmapdns.server.testing.InstanceAttributes.attributes;
import static dev.cloudmapdns.server.testing.NamespaceSpecs.privateDns;
import static dev.cloudmapdns.server.testing.ServiceSpecBuilder.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.InstanceOwner;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.RecordType;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.Service;
import dev.cloudmapdns.server.testing.TestRegistries;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Desired (the pods) against actual (the watcher's instances): the commands between them. */
class ReconcilePlanTest {
  private static final PodMapper MAPPER = new PodMapper("us-east-1", node -> null);
  private static final Predicate<String> ALL = namespace -> true;

  private Registry registry;
  private Service backend;

  @BeforeEach
  void registry() {
    registry = TestRegistries.newRegistry();
    Namespace namespace = registry.createNamespace(privateDns("app.local"));
    backend =
        registry.createService(
            service("backend-api").in(namespace.id()).records(RecordType.A).build());
  }

  private Pod task(String name, String taskId) {
    return kecsPod(name, taskId, backend.arn(), 8080).build();
  }

  private ReconcilePlan plan(Predicate<String> watched, Pod... pods) {
    return ReconcilePlan.of(List.of(pods), registry.state(), MAPPER, watched);
  }

  /** Plans and runs, as one pass of the watcher does. */
  private ReconcilePlan reconcile(Pod... pods) {
    ReconcilePlan plan = plan(ALL, pods);
    assertEquals(Map.of(), new PlanRunner(registry).run(plan));
    return plan;
  }

  private Map<String, RegisteredInstance> instances() {
    return registry.state().services().get(backend.id()).instances();
  }

  private static List<Class<?>> kinds(ReconcilePlan plan) {
    return plan.commands().stream().<Class<?>>map(Object::getClass).toList();
  }

  @Test
  void aNewPodIsRegisteredWithItsReadinessAndASecondPassChangesNothing() {
    ReconcilePlan first = reconcile(task("web-1", "task-1"));

    assertEquals(List.of(InstanceCommand.Register.class), kinds(first));
    RegisteredInstance registered = instances().get("task-1");
    assertEquals(InstanceOwner.KUBERNETES, registered.instance().owner());
    assertEquals(HealthStatus.HEALTHY, registered.health());
    assertEquals(List.of(), plan(ALL, task("web-1", "task-1")).commands());
  }

  @Test
  void aReadinessChangeOnlySetsTheHealth() {
    reconcile(task("web-1", "task-1"));

    ReconcilePlan plan =
        reconcile(kecsPod("web-1", "task-1", backend.arn(), 8080).ready(false).build());

    assertEquals(List.of(InstanceCommand.SetReadiness.class), kinds(plan));
    assertEquals(HealthStatus.UNHEALTHY, instances().get("task-1").health());
    assertEquals(1, registry.state().services().get(backend.id()).instancesRevision());
  }

  @Test
  void aNewPodIpReRegistersTheInstance() {
    reconcile(task("web-1", "task-1"));

    reconcile(kecsPod("web-1", "task-1", backend.arn(), 8080).noIp().ip("10.1.0.8").build());

    assertEquals("10.1.0.8", instances().get("task-1").instance().ipv4());
  }

  @Test
  void theInstancesOfVanishedPodsAreDeregisteredAndNothingElse() {
    reconcile(task("web-1", "task-1"), task("web-2", "task-2"));
    registry.registerInstance(backend.id(), "by-hand", attributes().ipv4("10.9.9.9").build(), null);

    ReconcilePlan plan = reconcile(task("web-2", "task-2"));

    assertEquals(List.of(InstanceCommand.Deregister.class), kinds(plan));
    assertEquals(List.of("task-2", "by-hand"), List.copyOf(instances().keySet()));
  }

  @Test
  void aPodThatTurnsBadLosesItsInstanceAndIsSkipped() {
    reconcile(task("web-1", "task-1"));

    ReconcilePlan plan =
        reconcile(
            kecsPod("web-1", "task-1", backend.arn(), 8080)
                .annotation(PodKeys.KECS_SERVICE_REGISTRIES, "not json")
                .build());

    assertEquals(List.of(InstanceCommand.Deregister.class), kinds(plan));
    assertTrue(plan.skipped().get("default/web-1").contains("is not valid JSON"));
  }

  @Test
  void aPodNeverTakesAnInstanceIdRegisteredThroughTheApi() {
    registry.registerInstance(backend.id(), "task-1", attributes().ipv4("10.9.9.9").build(), null);

    ReconcilePlan plan = plan(ALL, task("web-1", "task-1"));

    assertEquals(List.of(), plan.commands());
    assertTrue(
        plan.skipped().get("default/web-1").contains("was registered through the API"),
        plan.skipped().toString());
  }

  @Test
  void twoPodsWithOneTaskIdLeaveItToThePodThatHasIt() {
    reconcile(task("web-2", "task-1"));

    ReconcilePlan plan = plan(ALL, task("web-1", "task-1"), task("web-2", "task-1"));

    assertEquals(List.of(), plan.commands());
    assertTrue(
        plan.skipped().get("default/web-1").contains("already taken by pod default/web-2"),
        plan.skipped().toString());
  }

  @Test
  void instancesOfPodsInNamespacesNotWatchedAreLeftAlone() {
    reconcile(task("web-1", "task-1"));

    assertEquals(List.of(), plan(namespace -> namespace.equals("shop")).commands());
  }
}
