package dev.cloudmapdns.integration.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The manifests in {@code docs/deploy/kubernetes} fit together: what one document names, another
 * provides. Runs everywhere (no API server needed); {@link KubernetesDryRunIT} adds the server's
 * own validation where one can be started.
 */
class KubernetesManifestsIT {
  /**
   * What the pod watcher calls on the API server, as group, resource and verb: the ClusterRole must
   * allow each of these (and the watcher must call nothing else).
   */
  private static final List<String> WATCHER_CALLS =
      List.of(
          "/pods/get",
          "/pods/list",
          "/pods/watch",
          "/nodes/get",
          "/events/create",
          "/events/patch");

  /**
   * The server's listeners and their default ports, by the container port name that serves them.
   */
  private static final Map<String, Integer> LISTENER_PORTS =
      Map.of("grpc", 9953, "dns-udp", 8053, "dns-tcp", 8053, "api", 5373);

  private static ManifestFolder manifests;

  @BeforeAll
  static void read() throws IOException {
    manifests = ManifestFolder.read(Path.of(System.getProperty("deploy.manifests")));
  }

  private static PodSpec podSpec() {
    return manifests.only(Deployment.class).getSpec().getTemplate().getSpec();
  }

  private static Container container() {
    List<Container> containers = podSpec().getContainers();
    assertEquals(1, containers.size(), "one container");
    return containers.get(0);
  }

  @Test
  void kustomizationListsEveryManifestInTheFolder() throws IOException {
    assertEquals(
        manifests.yamlFiles(), manifests.listedFiles().stream().sorted().toList(), "resources");
  }

  @Test
  void deploymentRunsOneReplicaThatReplacesTheOldOneBeforeStarting() {
    Deployment deployment = manifests.only(Deployment.class);
    assertEquals(1, deployment.getSpec().getReplicas());
    assertEquals("Recreate", deployment.getSpec().getStrategy().getType(), "the store is locked");
  }

  @Test
  void deploymentSelectorMatchesItsPodLabels() {
    Deployment deployment = manifests.only(Deployment.class);
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    assertTrue(
        podLabels
            .entrySet()
            .containsAll(deployment.getSpec().getSelector().getMatchLabels().entrySet()),
        "selector " + deployment.getSpec().getSelector() + " vs labels " + podLabels);
  }

  @Test
  void serviceSelectsThePodsOfTheDeployment() {
    Map<String, String> podLabels =
        manifests.only(Deployment.class).getSpec().getTemplate().getMetadata().getLabels();
    Map<String, String> selector = manifests.only(Service.class).getSpec().getSelector();
    assertTrue(!selector.isEmpty() && podLabels.entrySet().containsAll(selector.entrySet()));
  }

  @Test
  void everyServicePortTargetsAContainerPortOfTheSameProtocol() {
    Map<String, ContainerPort> containerPorts =
        container().getPorts().stream()
            .collect(Collectors.toMap(ContainerPort::getName, port -> port));
    for (ServicePort port : manifests.only(Service.class).getSpec().getPorts()) {
      ContainerPort target = containerPorts.get(port.getTargetPort().getStrVal());
      assertNotNull(target, port.getName() + " targets " + port.getTargetPort());
      assertEquals(target.getProtocol(), port.getProtocol(), port.getName());
    }
  }

  @Test
  void serviceOffersGrpcDnsOnPort53AndTheApi() {
    Set<String> offered =
        manifests.only(Service.class).getSpec().getPorts().stream()
            .map(port -> port.getPort() + "/" + port.getProtocol())
            .collect(Collectors.toSet());
    assertEquals(Set.of("9953/TCP", "53/UDP", "53/TCP", "5373/TCP"), offered);
  }

  @Test
  void containerPortsAreTheServersListenerPorts() {
    Map<String, Integer> declared =
        container().getPorts().stream()
            .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
    assertEquals(LISTENER_PORTS, declared);
  }

  @Test
  void everyListenerBindsAllAddressesInThePod() {
    Map<String, String> env =
        container().getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    for (String host :
        List.of("MICRONAUT_SERVER_HOST", "GRPC_SERVER_HOST", "CLOUDMAP_DNS_LISTENER_HOST")) {
      assertEquals("0.0.0.0", env.get(host), host);
    }
  }

  @Test
  void storeLivesOnTheClaimedVolume() {
    String storeFile =
        container().getEnv().stream()
            .filter(env -> env.getName().equals("CLOUDMAP_STORE_FILE"))
            .findFirst()
            .orElseThrow()
            .getValue();
    String claim = manifests.only(PersistentVolumeClaim.class).getMetadata().getName();
    Volume volume =
        podSpec().getVolumes().stream()
            .filter(v -> v.getPersistentVolumeClaim() != null)
            .filter(v -> v.getPersistentVolumeClaim().getClaimName().equals(claim))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no volume mounts the claim " + claim));
    String mountPath =
        container().getVolumeMounts().stream()
            .filter(mount -> mount.getName().equals(volume.getName()))
            .findFirst()
            .orElseThrow()
            .getMountPath();
    assertTrue(storeFile.startsWith(mountPath + "/"), storeFile + " under " + mountPath);
  }

  @Test
  void probesAskTheHealthEndpointOnTheApiPort() {
    HTTPGetAction readiness = container().getReadinessProbe().getHttpGet();
    HTTPGetAction liveness = container().getLivenessProbe().getHttpGet();
    assertEquals("/health", readiness.getPath());
    assertEquals("/health/liveness", liveness.getPath());
    assertEquals("api", readiness.getPort().getStrVal());
    assertEquals("api", liveness.getPort().getStrVal());
  }

  @Test
  void containerRunsAsNonRootWithoutPrivilegesAndWithLimits() {
    assertEquals(Boolean.TRUE, podSpec().getSecurityContext().getRunAsNonRoot());
    assertEquals(Boolean.FALSE, container().getSecurityContext().getAllowPrivilegeEscalation());
    assertEquals(List.of("ALL"), container().getSecurityContext().getCapabilities().getDrop());
    assertNotNull(container().getResources().getRequests().get("memory"));
    assertNotNull(container().getResources().getLimits().get("memory"));
  }

  @Test
  void podRunsAsTheServiceAccountThatTheBindingGrants() {
    ServiceAccount account = manifests.only(ServiceAccount.class);
    assertEquals(account.getMetadata().getName(), podSpec().getServiceAccountName());
    ClusterRoleBinding binding = manifests.only(ClusterRoleBinding.class);
    Subject subject = binding.getSubjects().get(0);
    assertEquals(1, binding.getSubjects().size());
    assertEquals("ServiceAccount", subject.getKind());
    assertEquals(account.getMetadata().getName(), subject.getName());
    assertEquals(account.getMetadata().getNamespace(), subject.getNamespace());
    assertEquals(
        manifests.only(ClusterRole.class).getMetadata().getName(), binding.getRoleRef().getName());
  }

  @Test
  void clusterRoleAllowsWhatTheWatcherCallsAndNothingElse() {
    Set<String> allowed =
        manifests.only(ClusterRole.class).getRules().stream()
            .filter(rule -> rule.getApiGroups().contains(""))
            .flatMap(KubernetesManifestsIT::calls)
            .collect(Collectors.toSet());
    assertEquals(Set.copyOf(WATCHER_CALLS), allowed);
    for (PolicyRule rule : manifests.only(ClusterRole.class).getRules()) {
      assertTrue(rule.getVerbs().stream().noneMatch(verb -> verb.equals("*")), "no wildcard verbs");
      assertTrue(
          rule.getResources().stream().noneMatch(resource -> resource.equals("*")),
          "no wildcard resources");
    }
  }

  private static java.util.stream.Stream<String> calls(PolicyRule rule) {
    return rule.getResources().stream()
        .flatMap(resource -> rule.getVerbs().stream().map(verb -> "/" + resource + "/" + verb));
  }

  @Test
  void everyResourceIsInOneNamespaceOrClusterWide() {
    Set<String> namespaces =
        manifests.resources().stream()
            .map(resource -> resource.getMetadata().getNamespace())
            .filter(Objects::nonNull)
            .collect(Collectors.toSet());
    assertEquals(Set.of("kube-system"), namespaces);
  }
}
