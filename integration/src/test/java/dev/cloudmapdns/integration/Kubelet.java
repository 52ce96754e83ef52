package dev.cloudmapdns.integration;

import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * What a kubelet would write into {@code pods/status}: tests run a bare API server with no kubelet,
 * so they report a pod's phase, address and readiness themselves.
 */
public final class Kubelet {
  private Kubelet() {}

  /** Pod {@code name} in {@code default} runs at {@code ip}, ready or not. */
  public static void report(KubernetesClient kube, String name, String ip, boolean ready) {
    kube.pods()
        .inNamespace("default")
        .withName(name)
        .editStatus(
            pod -> {
              pod.getStatus().setPhase("Running");
              pod.getStatus().setPodIP(ip);
              pod.getStatus().setPodIPs(List.of(new PodIPBuilder().withIp(ip).build()));
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
}
