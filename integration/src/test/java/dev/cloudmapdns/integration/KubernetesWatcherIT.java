package dev.cloudmapdns.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server with {@code --kubernetes} against a real kube-apiserver: a KECS task pod
 * becomes ready, is answered by dig and shown by GetInstance with its task id and attributes; not
 * ready, it leaves DNS and is UNHEALTHY; deleted, it is no longer listed; a pod deleted while the
 * server was killed is gone after the restart. Skipped, saying why, without {@code
 * KUBE_APISERVER_BIN}. Pod IPs are data only: nothing probes them.
 */
class KubernetesWatcherIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path work;

  @Test
  void kecsPodsRegisterFollowReadinessLeaveAndAreReconciledAfterARestart() throws Exception {
    assumeTrue(
        KubeApiServer.unavailable().isEmpty(),
        () -> "skipping the real API server test: " + KubeApiServer.unavailable().orElse(""));
    assumeTrue(Dig.available(), "dig is not installed");
    String store = "--store-file=" + StoreFiles.newDirectory().resolve("cloudmap.db");
    try (KubeApiServer cluster = KubeApiServer.start(work.resolve("cluster"));
        KubernetesClient kube = client(cluster.kubeconfig())) {
      String[] watcher = {
        "--kubernetes", "--cloudmap.kubernetes.kubeconfig=" + cluster.kubeconfig(), store
      };
      String serviceId;
      String serviceArn;
      try (CloudMapDnsProcess server = CloudMapDnsProcess.start(watcher)) {
        CloudMapHttp api = new CloudMapHttp(server.httpPort);
        String namespaceId = api.createPrivateDnsNamespace("app.local");
        JsonNode service = api.createDnsService(namespaceId, "backend-api", 1);
        serviceId = service.get("Id").asText();
        serviceArn = service.get("Arn").asText();

        kube.resource(kecsPod("backend-7f9c", "3f1d2c9a", serviceArn)).create();
        Kubelet.report(kube, "backend-7f9c", "10.244.0.7", true);
        until(() -> answers(server).equals(List.of("10.244.0.7")), () -> "dig " + answers(server));

        JsonNode instance =
            api.call("GetInstance", Map.of("ServiceId", serviceId, "InstanceId", "3f1d2c9a"))
                .get("Instance");
        assertEquals("3f1d2c9a", instance.get("Id").asText());
        JsonNode attributes = instance.get("Attributes");
        assertEquals("10.244.0.7", attributes.get("AWS_INSTANCE_IPV4").asText());
        assertEquals("8080", attributes.get("AWS_INSTANCE_PORT").asText());
        assertEquals("default", attributes.get("ECS_CLUSTER_NAME").asText());
        assertEquals("backend-api", attributes.get("ECS_SERVICE_NAME").asText());
        assertEquals("backend", attributes.get("ECS_TASK_DEFINITION_FAMILY").asText());
        assertEquals("backend-7f9c", attributes.get("K8S_POD_NAME").asText());

        IOException refused =
            assertThrows(
                IOException.class,
                () ->
                    api.call(
                        "DeregisterInstance",
                        Map.of("ServiceId", serviceId, "InstanceId", "3f1d2c9a")));
        assertTrue(refused.getMessage().contains("ResourceInUse"), refused.getMessage());

        Kubelet.report(kube, "backend-7f9c", "10.244.0.7", false);
        until(() -> answers(server).isEmpty(), () -> "dig " + answers(server));
        assertEquals("UNHEALTHY", health(api, serviceId).get("3f1d2c9a"));

        kube.pods().inNamespace("default").withName("backend-7f9c").delete();
        until(() -> instanceIds(api, serviceId).isEmpty(), () -> "" + instanceIds(api, serviceId));

        kube.resource(kecsPod("backend-a", "task-a", serviceArn)).create();
        Kubelet.report(kube, "backend-a", "10.244.0.8", true);
        kube.resource(kecsPod("backend-b", "task-b", serviceArn)).create();
        Kubelet.report(kube, "backend-b", "10.244.0.9", true);
        until(
            () -> instanceIds(api, serviceId).equals(List.of("task-a", "task-b")),
            () -> "" + instanceIds(api, serviceId));
        server.kill();
      }

      kube.pods().inNamespace("default").withName("backend-a").delete();

      try (CloudMapDnsProcess restarted = CloudMapDnsProcess.start(watcher)) {
        CloudMapHttp api = new CloudMapHttp(restarted.httpPort);
        // Reconciled before the server answered /health: no waiting here.
        assertEquals(List.of("task-b"), instanceIds(api, serviceId));
        assertEquals(List.of("10.244.0.9"), answers(restarted));
      }
    }
  }

  @Test
  void anUnreachableClusterStopsStartUpWithOneLine() throws Exception {
    int closed = FreePorts.pick(1)[0];
    Path kubeconfig = work.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "http://127.0.0.1:%d"}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        current-context: x
        """
            .formatted(closed));

    CloudMapDnsProcess.Finished run =
        CloudMapDnsProcess.run(
            Duration.ofSeconds(120),
            "--kubernetes",
            "--cloudmap.kubernetes.kubeconfig=" + kubeconfig,
            "--cloudmap.kubernetes.start-timeout=5s",
            "--store",
            "memory");

    assertEquals(2, run.exitCode(), run.stderr());
    List<String> lines = run.stderr().lines().filter(line -> !line.isBlank()).toList();
    assertEquals(1, lines.size(), run.stderr());
    assertTrue(
        lines
            .get(0)
            .startsWith(
                "cloudmap-dns: --kubernetes: cannot list pods from the Kubernetes API at"
                    + " http://127.0.0.1:"
                    + closed),
        lines.get(0));
    assertFalse(run.stdout().contains("Startup completed"), run.stdout());
  }

  private static KubernetesClient client(Path kubeconfig) throws IOException {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(kubeconfig.toFile()))
        .build();
  }

  /** A pod as KECS makes one for an ECS task of service backend-api; Pending, no IP yet. */
  private static Pod kecsPod(String name, String taskId, String registryArn) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .addToLabels("kecs.dev/task-id", taskId)
        .addToLabels("kecs.dev/cluster", "default")
        .addToLabels("kecs.dev/service", "backend-api")
        .addToAnnotations(
            "kecs.dev/task-definition",
            "arn:aws:ecs:us-east-1:000000000000:task-definition/backend:3")
        .addToAnnotations(
            "kecs.dev/service-registries",
            "[{\"registryArn\":\""
                + registryArn
                + "\",\"containerName\":\"app\",\"containerPort\":8080}]")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("backend")
        .withPorts(new ContainerPortBuilder().withName("http").withContainerPort(8080).build())
        .endContainer()
        .endSpec()
        .build();
  }

  private static List<String> answers(CloudMapDnsProcess server) {
    try {
      return Dig.run(server.dnsPort, "+short", "backend-api.app.local", "A")
          .lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty())
          .sorted()
          .toList();
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> instanceIds(CloudMapHttp api, String serviceId) {
    try {
      List<String> ids = new ArrayList<>();
      api.call("ListInstances", Map.of("ServiceId", serviceId))
          .get("Instances")
          .forEach(instance -> ids.add(instance.get("Id").asText()));
      ids.sort(null);
      return ids;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static Map<String, String> health(CloudMapHttp api, String serviceId) throws Exception {
    Map<String, String> status = new TreeMap<>();
    api.call("GetInstancesHealthStatus", Map.of("ServiceId", serviceId))
        .get("Status")
        .properties()
        .forEach(entry -> status.put(entry.getKey(), entry.getValue().asText()));
    return status;
  }

  private static void until(Callable<Boolean> condition, Callable<String> state) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + state.call());
      }
      Thread.sleep(50);
    }
  }
}
