package dev.cloudmapdns.server.kubernetes;

import static dev.cloudmapdns.server.kubernetes.TestPods.kecsPod;
import static dev.cloudmapdns.server.kubernetes.TestPods.pod;
import static dev.cloudmapdns.server.testing.InstanceAttributes.attributes;
import static dev.cloudmapdns.server.testing.NamespaceSpecs.privateDns;
import static dev.cloudmapdns.server.testing.ServiceSpecBuilder.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.InstanceOwner;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.RecordType;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.Service;
import dev.cloudmapdns.server.testing.Await;
import dev.cloudmapdns.server.testing.TestRegistries;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watcher against Fabric8's mock API server in CRUD mode: pods created, turning ready and not
 * ready, deleted; bad annotations; a lost watch and the reconcile after it; a restart.
 */
class PodWatcherTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private KubernetesMockServer server;
  private KubernetesClient client;
  private Registry registry;
  private Service backend;
  private PodWatcher watcher;
  private int port;

  @BeforeEach
  void start() throws Exception {
    port = freePort();
    server = startServer(port);
    client = clientOf(port);
    registry = TestRegistries.newRegistry();
    Namespace namespace = registry.createNamespace(privateDns("app.local"));
    backend =
        registry.createService(
            service("backend-api").in(namespace.id()).records(RecordType.A).build());
  }

  @AfterEach
  void stop() {
    if (watcher != null) {
      watcher.close();
    }
    client.close();
    destroy(server);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Stops a mock server. On a loaded machine Vert.x may not finish closing the watch connections of
   * a stopped watcher within the mock's own timeout; the port is then freed with the test JVM at
   * the latest, and every server a test starts anew uses a port of its own unless it needs the same
   * one (the lost watch).
   */
  private static void destroy(KubernetesMockServer server) {
    try {
      server.destroy();
    } catch (IllegalStateException e) {
      // see above
    }
  }

  private static KubernetesMockServer startServer(int port) {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getLoopbackAddress(), port);
    return server;
  }

  private static KubernetesClient clientOf(int port) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + port)
                .withNamespace("default")
                .withHttp2Disable(true)
                .withWatchReconnectInterval(100)
                .withRequestRetryBackoffLimit(0)
                .build())
        .build();
  }

  private static WatcherSettings settings(List<String> namespaces) {
    return new WatcherSettings(
        namespaces,
        Duration.ofMinutes(5),
        Duration.ofSeconds(10),
        "us-east-1",
        Duration.ofMinutes(10),
        60);
  }

  private PodWatcher startWatcher() {
    watcher = PodWatcher.start(client, registry, settings(List.of()), Clock.systemUTC());
    return watcher;
  }

  private Pod create(TestPods pod) {
    Pod built = pod.build();
    return client.pods().inNamespace(built.getMetadata().getNamespace()).resource(built).create();
  }

  private void setReady(String namespace, String name, boolean ready) {
    client
        .pods()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(
            pod -> {
              pod.getStatus()
                  .setConditions(
                      List.of(
                          new PodConditionBuilder()
                              .withType("Ready")
                              .withStatus(ready ? "True" : "False")
                              .build()));
              return pod;
            });
  }

  private Map<String, RegisteredInstance> instances() {
    return registry.state().services().get(backend.id()).instances();
  }

  private HealthStatus health(String instanceId) {
    RegisteredInstance instance = instances().get(instanceId);
    return instance == null ? null : instance.health();
  }

  private TestPods task(String name, String taskId) {
    return kecsPod(name, taskId, backend.arn(), 8080);
  }

  @Test
  void aPodIsRegisteredFollowsItsReadinessAndLeavesWhenDeleted() {
    startWatcher();

    create(task("web-1", "task-1").ready(false));
    Await.until(WAIT, () -> health("task-1") == HealthStatus.UNHEALTHY, () -> "" + instances());
    assertEquals(InstanceOwner.KUBERNETES, instances().get("task-1").instance().owner());
    assertEquals("10.1.0.7", instances().get("task-1").instance().ipv4());

    setReady("default", "web-1", true);
    Await.until(WAIT, () -> health("task-1") == HealthStatus.HEALTHY, () -> "" + instances());

    setReady("default", "web-1", false);
    Await.until(WAIT, () -> health("task-1") == HealthStatus.UNHEALTHY, () -> "" + instances());

    client.pods().inNamespace("default").withName("web-1").delete();
    Await.until(WAIT, () -> instances().isEmpty(), () -> "" + instances());
  }

  @Test
  void startUpReconcilesWithThePodsBeforeReturning() {
    create(task("web-1", "task-1"));
    create(task("web-2", "task-2"));
    registry.registerInstance(backend.id(), "by-hand", attributes().ipv4("10.9.9.9").build(), null);

    startWatcher();

    assertEquals(List.of("by-hand", "task-1", "task-2"), List.copyOf(instances().keySet()));
    assertEquals(HealthStatus.HEALTHY, health("task-1"));
    assertEquals(2, watcher.status().instances());
    assertTrue(watcher.status().watching());
  }

  @Test
  void afterARestartInstancesOfPodsDeletedMeanwhileAreRemovedAndNewOnesAdded() throws Exception {
    create(task("web-1", "task-1"));
    create(task("web-2", "task-2"));
    startWatcher().close();
    watcher = null;

    // While the server is down, web-1 goes and web-3 comes. (A fresh mock API server holds the
    // cluster as it is afterwards: the mock cannot serve a deletion while a stopped watch is
    // still being closed.)
    client.close();
    destroy(server);
    port = freePort();
    server = startServer(port);
    client = clientOf(port);
    create(task("web-2", "task-2"));
    create(task("web-3", "task-3"));
    startWatcher();

    assertEquals(List.of("task-2", "task-3"), List.copyOf(instances().keySet()));
  }

  @Test
  void aPodWithBadAnnotationsIsSkippedWithAnEventAndOthersStillRegister() {
    startWatcher();

    create(
        task("web-1", "task-1").annotation(PodKeys.KECS_SERVICE_REGISTRIES, "[{\"registryArn\": "));
    create(
        pod("default", "web-2")
            .annotation(PodKeys.SERVICE, "app.local/backend-api")
            .container("app", "http", 80)
            .ip("10.1.0.8"));

    Await.until(WAIT, () -> instances().containsKey("web-2"), () -> "" + instances());
    Await.until(
        WAIT,
        () -> !events("web-1").isEmpty(),
        () -> "no event for web-1: " + client.v1().events().inNamespace("default").list());
    Event event = events("web-1").get(0);
    assertEquals("Warning", event.getType());
    assertEquals(PodWarnings.REASON, event.getReason());
    assertTrue(event.getMessage().contains("is not valid JSON"), event.getMessage());
    assertFalse(instances().containsKey("task-1"));
    assertEquals(1, watcher.status().skipped());
  }

  @Test
  void aPodNamingAServiceThatDoesNotExistYetRegistersOnceItIsCreated() {
    startWatcher();
    create(
        pod("default", "web-1")
            .annotation(PodKeys.SERVICE, "app.local/later")
            .container("app", "http", 80)
            .ip("10.1.0.8"));
    Await.until(WAIT, () -> watcher.status().skipped() == 1, () -> "" + watcher.status());

    Service later =
        registry.createService(
            service("later").in(backend.namespaceId()).records(RecordType.A).build());

    Await.until(
        WAIT,
        () -> registry.state().services().get(later.id()).instances().containsKey("web-1"),
        () -> "" + registry.state().services().get(later.id()));
  }

  @Test
  void aLostWatchKeepsTheRegistryAndTheRelistAfterItReconciles() {
    create(task("web-1", "task-1"));
    create(task("web-2", "task-2"));
    startWatcher();
    assertEquals(2, instances().size());

    destroy(server);
    Await.until(WAIT, () -> !watcher.status().watching(), () -> "" + watcher.status());
    assertEquals(2, instances().size(), "the registry keeps serving the last known pods");

    // The cluster comes back having changed meanwhile: web-1 gone, web-3 new.
    server = startServer(port);
    try (KubernetesClient again = clientOf(port)) {
      again.pods().inNamespace("default").resource(task("web-2", "task-2").build()).create();
      again.pods().inNamespace("default").resource(task("web-3", "task-3").build()).create();
    }

    Await.until(
        WAIT,
        () -> List.copyOf(instances().keySet()).equals(List.of("task-2", "task-3")),
        () -> "" + instances().keySet());
    Await.until(WAIT, () -> watcher.status().watching(), () -> "" + watcher.status());
  }

  @Test
  void onlyTheConfiguredNamespacesAreWatched() {
    watcher = PodWatcher.start(client, registry, settings(List.of("shop")), Clock.systemUTC());

    create(
        pod("default", "web-1")
            .annotation(PodKeys.SERVICE, backend.id())
            .container("app", "http", 80)
            .ip("10.1.0.8"));
    create(
        pod("shop", "web-2")
            .annotation(PodKeys.SERVICE, backend.id())
            .container("app", "http", 80)
            .ip("10.1.0.9"));

    Await.until(WAIT, () -> instances().containsKey("web-2"), () -> "" + instances());
    assertFalse(instances().containsKey("web-1"));
  }

  @Test
  void anUnreachableClusterAtStartUpIsOneClearError() {
    destroy(server);

    KubernetesUnavailableException e =
        assertThrows(
            KubernetesUnavailableException.class,
            () -> PodWatcher.start(client, registry, settings(List.of()), Clock.systemUTC()));

    assertTrue(
        e.getMessage()
            .startsWith(
                "--kubernetes: cannot list pods from the Kubernetes API at http://127.0.0.1:"
                    + port),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    server = startServer(port); // for stop()
  }

  private List<Event> events(String podName) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(event -> podName.equals(event.getInvolvedObject().getName()))
        .toList();
  }
}
