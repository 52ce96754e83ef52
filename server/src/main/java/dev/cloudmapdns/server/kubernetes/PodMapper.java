package dev.cloudmapdns.server.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.Instance;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.ServiceEntry;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns one pod into the instances it wants registered, or a reason why not. Pure: it reads the
 * pod, the registry state it is given (to find services) and a node-to-zone lookup, nothing else.
 *
 * <p>Which pods: KECS's own, by the {@code kecs.dev/service-registries} annotation (the ECS
 * service's {@code serviceRegistries}; the Cloud Map service is the last {@code /} segment of each
 * {@code registryArn}), else any pod with {@code cloudmap-dns.io/service}. The instance id is the
 * {@code kecs.dev/task-id} label, else the pod's name. Attributes are those ECS registers, plus the
 * pod's namespace and name.
 */
final class PodMapper {
  static final String AVAILABILITY_ZONE = "AVAILABILITY_ZONE";
  static final String REGION = "REGION";
  static final String ECS_CLUSTER_NAME = "ECS_CLUSTER_NAME";
  static final String ECS_SERVICE_NAME = "ECS_SERVICE_NAME";
  static final String ECS_TASK_DEFINITION_FAMILY = "ECS_TASK_DEFINITION_FAMILY";
  static final String K8S_NAMESPACE = "K8S_NAMESPACE";
  static final String K8S_POD_NAME = "K8S_POD_NAME";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String region;
  private final Function<String, String> zoneOfNode;

  /**
   * @param region the REGION attribute: the registry's region
   * @param zoneOfNode a node's {@code topology.kubernetes.io/zone}, or null when unknown
   */
  PodMapper(String region, Function<String, String> zoneOfNode) {
    this.region = region;
    this.zoneOfNode = zoneOfNode;
  }

  /** The pod's {@code namespace/name}, as logs, Events and the K8S_* attributes name it. */
  static String podName(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  PodMapping map(Pod pod, RegistryState state) {
    Map<String, String> annotations = orEmpty(pod.getMetadata().getAnnotations());
    String registries = annotations.get(PodKeys.KECS_SERVICE_REGISTRIES);
    String service = annotations.get(PodKeys.SERVICE);
    if (registries == null && service == null) {
      return new PodMapping.Nothing(
          "no " + PodKeys.KECS_SERVICE_REGISTRIES + " or " + PodKeys.SERVICE);
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return new PodMapping.Nothing("terminating");
    }
    PodStatus status = pod.getStatus();
    String phase = status == null ? null : status.getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return new PodMapping.Nothing("phase " + phase);
    }
    List<String> ips = ips(status);
    if (ips.isEmpty()) {
      return new PodMapping.Nothing("no pod IP yet");
    }
    List<Target> targets;
    try {
      targets = registries != null ? kecsTargets(registries, pod) : List.of(annotatedTarget(pod));
    } catch (BadPod e) {
      return new PodMapping.Skip(e.getMessage());
    }
    List<DesiredInstance> instances = new ArrayList<>(targets.size());
    Set<String> services = new LinkedHashSet<>();
    for (Target target : targets) {
      Optional<ServiceEntry> entry = resolve(state, target.service());
      if (entry.isEmpty()) {
        return new PodMapping.Skip(
            "no Cloud Map service "
                + target.service()
                + " (create it first, or fix "
                + target.annotation()
                + ")");
      }
      String serviceId = entry.get().service().id();
      if (!services.add(serviceId)) {
        return new PodMapping.Skip(
            "service " + serviceId + " is named twice in " + target.annotation());
      }
      instances.add(
          new DesiredInstance(
              podName(pod),
              serviceId,
              instanceId(pod),
              attributes(pod, ips, target.port()),
              ready(status) ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY));
    }
    return new PodMapping.Register(instances);
  }

  /** One service a pod names, with the port to register there and where it was named. */
  private record Target(String service, int port, String annotation) {}

  private static List<Target> kecsTargets(String json, Pod pod) throws BadPod {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new BadPod(
          PodKeys.KECS_SERVICE_REGISTRIES
              + " is not valid JSON: "
              + e.getOriginalMessage().replace('\n', ' '));
    }
    if (root == null || !root.isArray() || root.isEmpty()) {
      throw new BadPod(
          PodKeys.KECS_SERVICE_REGISTRIES
              + " must be a non-empty JSON array of serviceRegistries entries");
    }
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode entry = root.get(i);
      String where = PodKeys.KECS_SERVICE_REGISTRIES + "[" + i + "]";
      if (!entry.isObject()) {
        throw new BadPod(where + " must be an object");
      }
      JsonNode arn = entry.get("registryArn");
      if (arn == null || !arn.isTextual() || arn.asText().isBlank()) {
        throw new BadPod(where + ".registryArn is missing");
      }
      String text = arn.asText();
      String serviceId = text.substring(text.lastIndexOf('/') + 1);
      if (serviceId.isEmpty()) {
        throw new BadPod(where + ".registryArn " + text + " names no service");
      }
      String containerName = textField(entry, "containerName", where);
      Integer containerPort = portField(entry, "containerPort", where);
      Integer port = portField(entry, "port", where);
      int chosen;
      if (containerPort != null) {
        chosen = containerPort;
      } else if (port != null) {
        chosen = port;
      } else if (containerName != null) {
        chosen = firstPortOf(pod, containerName, where);
      } else {
        chosen = firstPort(pod, "set " + where + ".containerPort");
      }
      targets.add(new Target(serviceId, chosen, PodKeys.KECS_SERVICE_REGISTRIES));
    }
    return targets;
  }

  private static Target annotatedTarget(Pod pod) throws BadPod {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String service = annotations.get(PodKeys.SERVICE).trim();
    if (service.isEmpty()) {
      throw new BadPod(PodKeys.SERVICE + " is empty");
    }
    String port = annotations.get(PodKeys.PORT);
    int chosen;
    if (port == null) {
      chosen = firstPort(pod, "set " + PodKeys.PORT);
    } else if (port.trim().matches("[0-9]{1,5}")) {
      chosen = checkPort(Integer.parseInt(port.trim()), PodKeys.PORT);
    } else {
      chosen = namedPort(pod, port.trim());
    }
    return new Target(service, chosen, PodKeys.SERVICE);
  }

  /** A service id, an ARN (its last segment), or {@code namespace-name/service-name}. */
  static Optional<ServiceEntry> resolve(RegistryState state, String reference) {
    if (reference.startsWith("arn:")) {
      return state.service(reference.substring(reference.lastIndexOf('/') + 1));
    }
    int slash = reference.lastIndexOf('/');
    if (slash > 0) {
      return state
          .namespaceNamed(reference.substring(0, slash))
          .flatMap(namespace -> state.serviceNamed(namespace.id(), reference.substring(slash + 1)));
    }
    return state.service(reference);
  }

  private Map<String, String> attributes(Pod pod, List<String> ips, int port) {
    Map<String, String> labels = orEmpty(pod.getMetadata().getLabels());
    Map<String, String> annotations = orEmpty(pod.getMetadata().getAnnotations());
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String ip : ips) {
      attributes.putIfAbsent(ip.contains(":") ? Instance.IPV6 : Instance.IPV4, ip);
    }
    attributes.put(Instance.PORT, Integer.toString(port));
    putIfPresent(attributes, ECS_CLUSTER_NAME, labels.get(PodKeys.KECS_CLUSTER));
    putIfPresent(attributes, ECS_SERVICE_NAME, labels.get(PodKeys.KECS_SERVICE));
    String taskDefinition =
        annotations.getOrDefault(
            PodKeys.KECS_TASK_DEFINITION, labels.get(PodKeys.KECS_TASK_DEFINITION));
    putIfPresent(attributes, ECS_TASK_DEFINITION_FAMILY, family(taskDefinition));
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    putIfPresent(attributes, AVAILABILITY_ZONE, node == null ? null : zoneOfNode.apply(node));
    putIfPresent(attributes, REGION, region);
    attributes.put(K8S_NAMESPACE, pod.getMetadata().getNamespace());
    attributes.put(K8S_POD_NAME, pod.getMetadata().getName());
    return attributes;
  }

  /** {@code arn:aws:ecs:r:a:task-definition/web:3}, or {@code web:3}, is family {@code web}. */
  static String family(String taskDefinition) {
    if (taskDefinition == null || taskDefinition.isBlank()) {
      return null;
    }
    String last = taskDefinition.substring(taskDefinition.lastIndexOf('/') + 1);
    int colon = last.indexOf(':');
    String family = colon < 0 ? last : last.substring(0, colon);
    return family.isEmpty() ? null : family;
  }

  private static String instanceId(Pod pod) {
    String taskId = orEmpty(pod.getMetadata().getLabels()).get(PodKeys.KECS_TASK_ID);
    return taskId != null && !taskId.isBlank() ? taskId : pod.getMetadata().getName();
  }

  /** The pod's IPs, IPv4 first when it has both. */
  private static List<String> ips(PodStatus status) {
    List<String> ips = new ArrayList<>();
    if (status == null) {
      return ips;
    }
    if (status.getPodIPs() != null) {
      for (PodIP ip : status.getPodIPs()) {
        if (ip.getIp() != null && !ip.getIp().isBlank() && !ips.contains(ip.getIp())) {
          ips.add(ip.getIp());
        }
      }
    }
    if (status.getPodIP() != null
        && !status.getPodIP().isBlank()
        && !ips.contains(status.getPodIP())) {
      ips.add(0, status.getPodIP());
    }
    ips.sort((a, b) -> Boolean.compare(a.contains(":"), b.contains(":")));
    return ips;
  }

  private static boolean ready(PodStatus status) {
    if (status.getConditions() == null) {
      return false;
    }
    for (PodCondition condition : status.getConditions()) {
      if ("Ready".equals(condition.getType())) {
        return "True".equals(condition.getStatus());
      }
    }
    return false;
  }

  private static int firstPortOf(Pod pod, String containerName, String where) throws BadPod {
    for (Container container : containers(pod)) {
      if (containerName.equals(container.getName())) {
        List<ContainerPort> ports = container.getPorts();
        if (ports == null || ports.isEmpty() || ports.get(0).getContainerPort() == null) {
          throw new BadPod(
              "no port: container "
                  + containerName
                  + " declares no containerPort; set "
                  + where
                  + ".containerPort");
        }
        return ports.get(0).getContainerPort();
      }
    }
    throw new BadPod(where + ".containerName " + containerName + ": the pod has no such container");
  }

  private static int firstPort(Pod pod, String fix) throws BadPod {
    for (Container container : containers(pod)) {
      if (container.getPorts() != null) {
        for (ContainerPort port : container.getPorts()) {
          if (port.getContainerPort() != null) {
            return port.getContainerPort();
          }
        }
      }
    }
    throw new BadPod("no port: no container declares a containerPort; " + fix);
  }

  private static int namedPort(Pod pod, String name) throws BadPod {
    for (Container container : containers(pod)) {
      if (container.getPorts() != null) {
        for (ContainerPort port : container.getPorts()) {
          if (name.equals(port.getName()) && port.getContainerPort() != null) {
            return port.getContainerPort();
          }
        }
      }
    }
    throw new BadPod(PodKeys.PORT + " " + name + ": no container port has that name");
  }

  private static List<Container> containers(Pod pod) {
    return pod.getSpec() == null || pod.getSpec().getContainers() == null
        ? List.of()
        : pod.getSpec().getContainers();
  }

  private static String textField(JsonNode entry, String field, String where) throws BadPod {
    JsonNode value = entry.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new BadPod(where + "." + field + " must be a string");
    }
    return value.asText();
  }

  private static Integer portField(JsonNode entry, String field, String where) throws BadPod {
    JsonNode value = entry.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.canConvertToInt() || !value.isIntegralNumber()) {
      throw new BadPod(where + "." + field + " must be a port number, not " + value);
    }
    return checkPort(value.intValue(), where + "." + field);
  }

  private static int checkPort(int port, String where) throws BadPod {
    if (port < 1 || port > 65535) {
      throw new BadPod(where + " must be a port from 1 to 65535, not " + port);
    }
    return port;
  }

  private static void putIfPresent(Map<String, String> attributes, String key, String value) {
    if (value != null && !value.isBlank()) {
      attributes.put(key, value);
    }
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  /** A pod whose annotations cannot be used; the message is the reason, for the user. */
  private static final class BadPod extends Exception {
    BadPod(String message) {
      super(message, null, false, false);
    }
  }
}
