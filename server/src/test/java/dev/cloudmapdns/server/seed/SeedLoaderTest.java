package dev.cloudmapdns.server.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.registry.DnsConfig;
import dev.cloudmapdns.server.registry.DnsRecord;
import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.InitialCheckStatus;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.NamespaceType;
import dev.cloudmapdns.server.registry.RecordType;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryIdentity;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.RoutingPolicy;
import dev.cloudmapdns.server.registry.Service;
import dev.cloudmapdns.server.registry.ServiceEntry;
import dev.cloudmapdns.server.store.SqliteRegistryStore;
import dev.cloudmapdns.server.testing.LargeSeeds;
import dev.cloudmapdns.server.testing.TestRegistries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Loading a seed file into the registry through the API's own commands: the content obeys the
 * registry's rules, and a refusal names the file and the line of the refused item.
 */
class SeedLoaderTest {
  @TempDir Path dir;

  private Registry registry;
  private SeedLoader loader;

  @BeforeEach
  void newRegistry() {
    registry = TestRegistries.newRegistry();
    loader = new SeedLoader(registry);
  }

  @Test
  void loadsTheExample() {
    int instances = loader.load(SeedFixtures.example());

    assertEquals(2, instances);
    RegistryState state = registry.state();
    assertEquals(1, state.namespaces().size());
    Namespace namespace = state.namespaces().values().iterator().next();
    assertEquals("app.local", namespace.name());
    assertEquals(NamespaceType.DNS_PRIVATE, namespace.type());
    assertEquals(SeedFile.DEFAULT_VPC, namespace.vpc());
    assertEquals(Namespace.DEFAULT_SOA_TTL, namespace.soaTtl());

    List<ServiceEntry> services = state.servicesIn(namespace.id());
    assertEquals(1, services.size());
    Service service = services.get(0).service();
    assertEquals("backend-api", service.name());
    assertEquals(
        new DnsConfig(
            RoutingPolicy.MULTIVALUE,
            List.of(new DnsRecord(RecordType.A, 60), new DnsRecord(RecordType.SRV, 60))),
        service.dnsConfig());

    Map<String, RegisteredInstance> registered = services.get(0).instances();
    assertEquals(List.of("backend-1", "backend-2"), List.copyOf(registered.keySet()));
    assertEquals("127.0.0.1", registered.get("backend-1").instance().ipv4());
    assertEquals("127.0.0.2", registered.get("backend-2").instance().ipv4());
    registered
        .values()
        .forEach(
            i -> {
              assertEquals(8080, i.instance().port());
              assertEquals(HealthStatus.HEALTHY, i.health());
            });
  }

  @Test
  void seededInstancesStartWithTheHealthTheirServiceGivesThem() {
    Path file =
        SeedFixtures.write(
            dir,
            """
            namespaces:
              - name: app.local
                services:
                  - name: checked
                    dnsRecords: [{type: A}]
                    healthCheckConfig: {type: HTTP, resourcePath: /health}
                    instances:
                      - id: c-1
                        attributes: {AWS_INSTANCE_IPV4: 127.0.0.1, AWS_INSTANCE_PORT: 80}
                  - name: custom
                    dnsRecords: [{type: A}]
                    healthCheckCustomConfig: {}
                    instances:
                      - id: u-1
                        attributes: {AWS_INSTANCE_IPV4: 127.0.1.1}
                      - id: u-2
                        attributes: {AWS_INSTANCE_IPV4: 127.0.1.2, AWS_INIT_HEALTH_STATUS: UNHEALTHY}
            """);

    loader.load(file);

    Map<String, HealthStatus> health = new HashMap<>();
    registry
        .state()
        .services()
        .values()
        .forEach(entry -> entry.instances().forEach((id, i) -> health.put(id, i.health())));
    assertEquals(
        Map.of(
            "c-1", HealthStatus.UNKNOWN,
            "u-1", HealthStatus.HEALTHY,
            "u-2", HealthStatus.UNHEALTHY),
        health);
  }

  @Test
  void anEmptyFileLoadsNothing() {
    RegistryState before = registry.state();

    assertEquals(0, loader.load(SeedFixtures.write(dir, "")));

    assertEquals(before, registry.state());
  }

  @Test
  void loadsSeveralNamespacesAndCountsTheirInstances() {
    Path file =
        SeedFixtures.write(
            dir,
            """
            namespaces:
              - name: app.local
                services:
                  - name: web
                    dnsRecords:
                      - type: A
                    instances:
                      - id: web-1
                        attributes: {AWS_INSTANCE_IPV4: 127.0.0.1}
                  - name: api-only
                    instances:
                      - id: api-1
              - name: example.com
                type: DNS_PUBLIC
                services:
                  - name: www
                    dnsRecords:
                      - type: AAAA
                    instances:
                      - id: www-1
                        attributes: {AWS_INSTANCE_IPV6: "2001:db8::1"}
              - name: internal-api
                type: HTTP
            """);

    assertEquals(3, loader.load(file));

    assertEquals(3, registry.state().namespaces().size());
    assertEquals(3, registry.state().services().size());
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(
            "an A service's instance without AWS_INSTANCE_IPV4",
            """
            namespaces:
              - name: app.local
                services:
                  - name: backend-api
                    dnsRecords:
                      - type: A
                    instances:
                      - id: i-1
                        attributes:
                          AWS_INSTANCE_IPV4: 127.0.0.1
                      - id: i-2
                        attributes:
                          AWS_INSTANCE_PORT: "8080"
            """,
            11,
            "AWS_INSTANCE_IPV4 is required"),
        Arguments.of(
            "an instance id that Cloud Map refuses",
            """
            namespaces:
              - name: app.local
                services:
                  - name: api-only
                    instances:
                      - id: has space
            """,
            6,
            "InstanceId 'has space'"),
        Arguments.of(
            "a CNAME service with MULTIVALUE routing",
            """
            namespaces:
              - name: app.local
                services:
                  - name: backend-api
                    dnsRecords:
                      - type: A
                  - name: legacy
                    dnsRecords:
                      - type: CNAME
            """,
            7,
            "RoutingPolicy WEIGHTED"),
        Arguments.of(
            "a service name repeated in another case",
            """
            namespaces:
              - name: app.local
                services:
                  - name: backend-api
                  - name: Backend-API
            """,
            5,
            "already exists"),
        Arguments.of(
            "DNS records in an HTTP namespace",
            """
            namespaces:
              - name: internal
                type: HTTP
                services:
                  - name: backend-api
                    dnsRecords:
                      - type: A
            """,
            5,
            "DnsConfig is not allowed"),
        Arguments.of(
            "a public namespace with an underscore",
            """
            namespaces:
              - name: app.local
              - name: _bad.example.com
                type: DNS_PUBLIC
            """,
            3,
            "not a valid public DNS domain name"),
        Arguments.of(
            "a namespace repeated with a trailing dot",
            """
            namespaces:
              - name: app.local
              - name: app.local.
            """,
            3,
            "already exists"),
        Arguments.of(
            "a TTL out of range",
            """
            namespaces:
              - name: app.local
                services:
                  - name: backend-api
                    dnsRecords:
                      - type: A
                        ttl: -1
            """,
            4,
            "DnsRecords.TTL"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void refusals(String situation, String yaml, int line, String problem) {
    Path file = SeedFixtures.write(dir, yaml);

    SeedFixtures.assertSeedError(() -> loader.load(file), file, line, problem);
    assertEquals(RegistryState.empty().namespaces(), registry.state().namespaces());
    assertTrue(registry.state().services().isEmpty());
  }

  /** Ten valid items (a namespace, a service, eight instances), then an instance without IPv4. */
  private static String seedWithBadEleventhItem(boolean corrected) {
    StringBuilder yaml =
        new StringBuilder(
            """
            namespaces:
              - name: app.local
                services:
                  - name: web
                    dnsRecords: [{type: A}]
                    instances:
            """);
    for (int i = 1; i <= 8; i++) {
      yaml.append(
          "          - {id: web-" + i + ", attributes: {AWS_INSTANCE_IPV4: 127.0.0." + i + "}}\n");
    }
    yaml.append(
        corrected
            ? "          - {id: web-9, attributes: {AWS_INSTANCE_IPV4: 127.0.0.9}}\n"
            : "          - {id: web-9, attributes: {AWS_INSTANCE_PORT: \"80\"}}\n");
    return yaml.toString();
  }

  @Test
  void aSeedRefusedHalfwayLeavesNothingStoredAndTheCorrectedOneLoadsOnTheNextStart() {
    Path store = dir.resolve("cloudmap.db");
    Path bad = writeFile(dir.resolve("bad.yaml"), seedWithBadEleventhItem(false));
    Path good = writeFile(dir.resolve("good.yaml"), seedWithBadEleventhItem(true));

    try (Registry first = onStore(store)) {
      SeedFixtures.assertSeedError(
          () -> new SeedLoader(first).loadIntoEmpty(bad), bad, 15, "AWS_INSTANCE_IPV4");
      assertTrue(first.state().namespaces().isEmpty());
    }
    try (Registry second = onStore(store)) {
      assertTrue(second.state().namespaces().isEmpty());
      assertEquals(OptionalInt.of(9), new SeedLoader(second).loadIntoEmpty(good));
    }
    try (Registry third = onStore(store)) {
      assertEquals(1, third.state().namespaces().size());
      assertEquals(9, third.state().services().values().iterator().next().instances().size());
      assertEquals(OptionalInt.empty(), new SeedLoader(third).loadIntoEmpty(good));
    }
  }

  @Test
  void appliesAWholeSeedAsOnePublishedState() {
    long before = registry.state().version();

    loader.load(SeedFixtures.write(dir, seedWithBadEleventhItem(true)));

    assertEquals(before + 1, registry.state().version());
  }

  @Test
  void acceptsASeedLargerThanYamlParsersAllowByDefault() {
    // SnakeYAML refuses documents over 3 MiB of code points unless told otherwise. Few items of
    // long attributes keep this test quick; benchmark (8) loads 100,000 instances.
    Path file = LargeSeeds.write(dir.resolve("large.yaml"), 3_300, 1_000);
    assertTrue(sizeOf(file) > 3 * 1024 * 1024 + 1, "the file is larger than SnakeYAML's default");

    assertEquals(3_300, loader.load(file));

    assertEquals(4, registry.state().services().size());
  }

  private static Path writeFile(Path file, String text) {
    try {
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Registry onStore(Path file) {
    return new Registry(
        new RegistryIdentity(TestRegistries.REGION, TestRegistries.ACCOUNT),
        Clock.systemUTC(),
        InitialCheckStatus.UNKNOWN_UNTIL_CHECKED,
        SqliteRegistryStore.open(file, SqliteRegistryStore.Synchronous.NORMAL));
  }

  @Test
  void aFileThatCannotBeParsedChangesNothing() {
    Path file =
        SeedFixtures.write(
            dir,
            """
            namespaces:
              - name: app.local
              - name: other.local
                tpye: HTTP
            """);

    assertThrows(SeedException.class, () -> loader.load(file));

    assertTrue(registry.state().namespaces().isEmpty());
  }
}
