package dev.cloudmapdns.server.kubernetes;

import static dev.cloudmapdns.server.kubernetes.TestPods.kecsPod;
import static dev.cloudmapdns.server.kubernetes.TestPods.pod;
import static dev.cloudmapdns.server.testing.NamespaceSpecs.privateDns;
import static dev.cloudmapdns.server.testing.ServiceSpecBuilder.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.RecordType;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.Service;
import dev.cloudmapdns.server.testing.TestRegistries;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One pod in, the instances it wants (or why none) out. */
class PodMapperTest {
  private static final PodMapper MAPPER =
      new PodMapper("us-east-1", node -> "node-a".equals(node) ? "us-east-1a" : null);

  private static Registry registry;
  private static Service backend;
  private static Service frontend;

  @BeforeAll
  static void services() {
    registry = TestRegistries.newRegistry();
    Namespace namespace = registry.createNamespace(privateDns("app.local"));
    backend =
        registry.createService(
            service("backend-api").in(namespace.id()).records(RecordType.A).build());
    frontend =
        registry.createService(
            service("frontend").in(namespace.id()).records(RecordType.A).build());
  }

  private static PodMapping map(TestPods pod) {
    return MAPPER.map(pod.build(), registry.state());
  }

  private static DesiredInstance only(PodMapping mapping) {
    PodMapping.Register register =
        assertInstanceOf(PodMapping.Register.class, mapping, "" + mapping);
    assertEquals(1, register.instances().size(), "" + register);
    return register.instances().get(0);
  }

  @Test
  void aKecsPodRegistersItsTaskWithTheAttributesEcsWouldGiveIt() {
    DesiredInstance instance =
        only(map(kecsPod("backend-7f9c", "task-1", backend.arn(), 8080).node("node-a")));

    assertEquals(backend.id(), instance.serviceId());
    assertEquals("task-1", instance.instanceId());
    assertEquals("default/backend-7f9c", instance.pod());
    assertEquals(HealthStatus.HEALTHY, instance.health());
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("AWS_INSTANCE_IPV4", "10.1.0.7");
    expected.put("AWS_INSTANCE_PORT", "8080");
    expected.put("ECS_CLUSTER_NAME", "default");
    expected.put("ECS_SERVICE_NAME", "backend-api");
    expected.put("ECS_TASK_DEFINITION_FAMILY", "backend");
    expected.put("AVAILABILITY_ZONE", "us-east-1a");
    expected.put("REGION", "us-east-1");
    expected.put("K8S_NAMESPACE", "default");
    expected.put("K8S_POD_NAME", "backend-7f9c");
    assertEquals(expected, instance.attributes());
  }

  @Test
  void aKecsPodInSeveralRegistriesRegistersInEach() {
    PodMapping mapping =
        map(
            kecsPod("web-1", "task-9", backend.arn(), 80)
                .annotation(
                    PodKeys.KECS_SERVICE_REGISTRIES,
                    "[{\"registryArn\":\""
                        + backend.arn()
                        + "\",\"containerPort\":80},{\"registryArn\":\""
                        + frontend.arn()
                        + "\",\"port\":9090}]"));

    List<DesiredInstance> instances =
        assertInstanceOf(PodMapping.Register.class, mapping).instances();
    assertEquals(
        List.of(backend.id(), frontend.id()),
        instances.stream().map(DesiredInstance::serviceId).toList());
    assertEquals("80", instances.get(0).attributes().get("AWS_INSTANCE_PORT"));
    assertEquals("9090", instances.get(1).attributes().get("AWS_INSTANCE_PORT"));
  }

  static Stream<Arguments> annotatedPods() {
    return Stream.of(
        Arguments.of("service id", (Function<Service, String>) Service::id),
        Arguments.of("service ARN", (Function<Service, String>) Service::arn),
        Arguments.of(
            "namespace/service", (Function<Service, String>) s -> "app.local/" + s.name()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("annotatedPods")
  void anAnnotatedPodNamesItsServiceByIdArnOrName(String how, Function<Service, String> reference) {
    DesiredInstance instance =
        only(
            map(
                pod("shop", "web-5d8f")
                    .annotation(PodKeys.SERVICE, reference.apply(backend))
                    .annotation(PodKeys.PORT, "8443")
                    .container("app", "https", 443)
                    .ip("10.1.0.9")));

    assertEquals(backend.id(), instance.serviceId());
    assertEquals("web-5d8f", instance.instanceId());
    assertEquals(
        Map.of(
            "AWS_INSTANCE_IPV4", "10.1.0.9",
            "AWS_INSTANCE_PORT", "8443",
            "REGION", "us-east-1",
            "K8S_NAMESPACE", "shop",
            "K8S_POD_NAME", "web-5d8f"),
        instance.attributes());
  }

  static Stream<Arguments> ports() {
    return Stream.of(
        Arguments.of("a number", "9000", "9000"),
        Arguments.of("a container port's name", "metrics", "9100"),
        Arguments.of("absent: the first container port", null, "8080"));
  }

  @ParameterizedTest(name = "port annotation is {0}")
  @MethodSource("ports")
  void theInstancePortComesFromTheAnnotationOrTheContainers(
      String how, String port, String expected) {
    TestPods pod =
        pod("shop", "web-1")
            .annotation(PodKeys.SERVICE, backend.id())
            .container("app", "http", 8080)
            .container("sidecar", "metrics", 9100)
            .ip("10.1.0.9");
    if (port != null) {
      pod.annotation(PodKeys.PORT, port);
    }

    assertEquals(expected, only(map(pod)).attributes().get("AWS_INSTANCE_PORT"));
  }

  @Test
  void anIpv6PodRegistersItsIpv6Address() {
    DesiredInstance instance =
        only(map(kecsPod("web-1", "task-1", backend.arn(), 80).noIp().ip("fd00::7")));

    assertEquals("fd00::7", instance.attributes().get("AWS_INSTANCE_IPV6"));
    assertEquals(null, instance.attributes().get("AWS_INSTANCE_IPV4"));
  }

  @Test
  void aDualStackPodRegistersBothAddresses() {
    DesiredInstance instance =
        only(
            map(kecsPod("web-1", "task-1", backend.arn(), 80).noIp().ip("fd00::7").ip("10.1.0.7")));

    assertEquals("10.1.0.7", instance.attributes().get("AWS_INSTANCE_IPV4"));
    assertEquals("fd00::7", instance.attributes().get("AWS_INSTANCE_IPV6"));
  }

  @Test
  void aPodThatIsNotReadyIsRegisteredUnhealthy() {
    assertEquals(
        HealthStatus.UNHEALTHY,
        only(map(kecsPod("web-1", "task-1", backend.arn(), 80).ready(false))).health());
  }

  @Test
  void withoutATaskIdLabelThePodNameIsTheInstanceId() {
    TestPods pod = kecsPod("web-1", "task-1", backend.arn(), 80);
    pod.label(PodKeys.KECS_TASK_ID, "");

    assertEquals("web-1", only(map(pod)).instanceId());
  }

  static Stream<Arguments> podsThatWantNothing() {
    return Stream.of(
        Arguments.of(
            "not ours", pod("shop", "db-0").ip("10.1.0.3"), "no kecs.dev/service-registries"),
        Arguments.of("no IP yet", kecsPodOf().noIp(), "no pod IP yet"),
        Arguments.of("terminating", kecsPodOf().terminating(), "terminating"),
        Arguments.of("succeeded", kecsPodOf().phase("Succeeded"), "phase Succeeded"),
        Arguments.of("failed", kecsPodOf().phase("Failed"), "phase Failed"));
  }

  private static TestPods kecsPodOf() {
    return kecsPod("web-1", "task-1", backend.arn(), 80);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podsThatWantNothing")
  void aPodWantsNothingWhenNotOursNotYetOrNoLonger(String what, TestPods pod, String why) {
    PodMapping.Nothing nothing = assertInstanceOf(PodMapping.Nothing.class, map(pod));
    assertTrue(nothing.why().startsWith(why), nothing.why());
  }

  static Stream<Arguments> badAnnotations() {
    String registries = PodKeys.KECS_SERVICE_REGISTRIES;
    return Stream.of(
        Arguments.of("broken JSON", kecs("[{\"registryArn\": "), registries + " is not valid JSON"),
        Arguments.of(
            "not an array", kecs("{\"registryArn\":\"x\"}"), "must be a non-empty JSON array"),
        Arguments.of("empty array", kecs("[]"), "must be a non-empty JSON array"),
        Arguments.of("entry not an object", kecs("[42]"), registries + "[0] must be an object"),
        Arguments.of(
            "no registryArn",
            kecs("[{\"containerPort\":80}]"),
            registries + "[0].registryArn is missing"),
        Arguments.of(
            "ARN without service",
            kecs("[{\"registryArn\":\"arn:aws:servicediscovery:us-east-1:1:service/\"}]"),
            "names no service"),
        Arguments.of(
            "unknown service",
            kecs(
                "[{\"registryArn\":\"arn:aws:servicediscovery:us-east-1:1:service/srv-nope\",\"containerPort\":80}]"),
            "no Cloud Map service srv-nope"),
        Arguments.of(
            "port not a number",
            kecs("[{\"registryArn\":\"srv/x\",\"containerPort\":\"http\"}]"),
            registries + "[0].containerPort must be a port number"),
        Arguments.of(
            "port out of range",
            kecs("[{\"registryArn\":\"srv/x\",\"port\":70000}]"),
            registries + "[0].port must be a port from 1 to 65535"),
        Arguments.of(
            "no such container",
            kecs("[{\"registryArn\":\"srv/x\",\"containerName\":\"db\"}]"),
            "containerName db: the pod has no such container"),
        Arguments.of("service twice", kecsTwice(), "is named twice"),
        Arguments.of(
            "no port anywhere",
            pod("shop", "web-1")
                .annotation(PodKeys.SERVICE, "app.local/backend-api")
                .ip("10.1.0.9"),
            "no port: no container declares a containerPort; set cloudmap-dns.io/port"),
        Arguments.of(
            "named port missing",
            annotated().annotation(PodKeys.PORT, "grpc"),
            "cloudmap-dns.io/port grpc: no container port has that name"),
        Arguments.of(
            "port annotation out of range",
            annotated().annotation(PodKeys.PORT, "0"),
            "cloudmap-dns.io/port must be a port from 1 to 65535"),
        Arguments.of(
            "empty service annotation",
            annotated().annotation(PodKeys.SERVICE, " "),
            "cloudmap-dns.io/service is empty"),
        Arguments.of(
            "unknown service name",
            annotated().annotation(PodKeys.SERVICE, "app.local/nope"),
            "no Cloud Map service app.local/nope"));
  }

  private static TestPods kecs(String json) {
    return kecsPod("web-1", "task-1", backend.arn(), 80)
        .annotation(PodKeys.KECS_SERVICE_REGISTRIES, json);
  }

  private static TestPods kecsTwice() {
    String entry = "{\"registryArn\":\"" + backend.arn() + "\",\"containerPort\":80}";
    return kecs("[" + entry + "," + entry + "]");
  }

  private static TestPods annotated() {
    return pod("shop", "web-1")
        .annotation(PodKeys.SERVICE, backend.id())
        .container("app", "http", 8080)
        .ip("10.1.0.9");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badAnnotations")
  void aPodWithBadAnnotationsIsSkippedWithTheReason(String what, TestPods pod, String reason) {
    PodMapping.Skip skip = assertInstanceOf(PodMapping.Skip.class, map(pod), what);
    assertTrue(skip.reason().contains(reason), skip.reason());
    assertTrue(!skip.reason().contains("\n"), skip.reason());
  }

  @Test
  void theTaskDefinitionFamilyIsTheArnsLastSegmentWithoutItsRevision() {
    assertEquals("web", PodMapper.family("arn:aws:ecs:us-east-1:1:task-definition/web:3"));
    assertEquals("web", PodMapper.family("web:3"));
    assertEquals("web", PodMapper.family("web"));
    assertEquals(null, PodMapper.family(""));
    assertEquals(null, PodMapper.family(null));
  }
}
