package dev.cloudmapdns.server.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pods as tests need them: a small builder over Fabric8's model, no JSON blobs. */
final class TestPods {
  private final String namespace;
  private final String name;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final Map<String, String> annotations = new LinkedHashMap<>();
  private final List<String> ips = new ArrayList<>();
  private final List<ContainerBuilder> containers = new ArrayList<>();
  private String phase = "Running";
  private Boolean ready = true;
  private String nodeName;
  private String deletionTimestamp;

  private TestPods(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
  }

  static TestPods pod(String namespace, String name) {
    return new TestPods(namespace, name);
  }

  /** A KECS task pod of {@code service} in cluster {@code default}, registering in srv. */
  static TestPods kecsPod(String name, String taskId, String registryArn, int containerPort) {
    return pod("default", name)
        .label(PodKeys.KECS_TASK_ID, taskId)
        .label(PodKeys.KECS_CLUSTER, "default")
        .label(PodKeys.KECS_SERVICE, "backend-api")
        .annotation(
            PodKeys.KECS_TASK_DEFINITION,
            "arn:aws:ecs:us-east-1:000000000000:task-definition/backend:3")
        .annotation(
            PodKeys.KECS_SERVICE_REGISTRIES,
            "[{\"registryArn\":\""
                + registryArn
                + "\",\"containerName\":\"app\",\"containerPort\":"
                + containerPort
                + "}]")
        .container("app", "http", containerPort)
        .ip("10.1.0.7");
  }

  TestPods label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  TestPods annotation(String key, String value) {
    annotations.put(key, value);
    return this;
  }

  TestPods withoutAnnotation(String key) {
    annotations.remove(key);
    return this;
  }

  TestPods ip(String ip) {
    ips.add(ip);
    return this;
  }

  TestPods noIp() {
    ips.clear();
    return this;
  }

  TestPods container(String containerName, String portName, int port) {
    ContainerBuilder container = new ContainerBuilder().withName(containerName).withImage("app");
    if (port > 0) {
      container.withPorts(
          new ContainerPortBuilder().withName(portName).withContainerPort(port).build());
    }
    containers.add(container);
    return this;
  }

  TestPods ready(boolean isReady) {
    ready = isReady;
    return this;
  }

  TestPods phase(String podPhase) {
    phase = podPhase;
    return this;
  }

  TestPods node(String node) {
    nodeName = node;
    return this;
  }

  TestPods terminating() {
    deletionTimestamp = "2024-05-01T12:00:00Z";
    return this;
  }

  Pod build() {
    if (containers.isEmpty()) {
      container("app", null, 0);
    }
    PodBuilder builder =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .withUid(namespace + "-" + name + "-uid")
            .withLabels(labels)
            .withAnnotations(annotations)
            .withDeletionTimestamp(deletionTimestamp)
            .endMetadata()
            .withNewSpec()
            .withNodeName(nodeName)
            .withContainers(containers.stream().map(ContainerBuilder::build).toList())
            .endSpec()
            .withNewStatus()
            .withPhase(phase)
            .withPodIP(ips.isEmpty() ? null : ips.get(0))
            .withPodIPs(ips.stream().map(ip -> new PodIPBuilder().withIp(ip).build()).toList())
            .withConditions(
                new PodConditionBuilder()
                    .withType("Ready")
                    .withStatus(ready ? "True" : "False")
                    .build())
            .endStatus();
    return builder.build();
  }
}
