package dev.cloudmapdns.server.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.registry.DnsConfig;
import dev.cloudmapdns.server.registry.DnsRecord;
import dev.cloudmapdns.server.registry.HealthCheckConfig;
import dev.cloudmapdns.server.registry.HealthCheckCustomConfig;
import dev.cloudmapdns.server.registry.HealthCheckType;
import dev.cloudmapdns.server.registry.NamespaceSpec;
import dev.cloudmapdns.server.registry.NamespaceType;
import dev.cloudmapdns.server.registry.RecordType;
import dev.cloudmapdns.server.registry.RoutingPolicy;
import dev.cloudmapdns.server.registry.ServiceSpec;
import dev.cloudmapdns.server.seed.SeedFile.SeedInstance;
import dev.cloudmapdns.server.seed.SeedFile.SeedNamespace;
import dev.cloudmapdns.server.seed.SeedFile.SeedService;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading the seed file: its shape becomes registry specs with the line of each item, and every
 * problem is reported as {@code <file>:<line>: <problem>}.
 */
class SeedFileTest {
  @TempDir Path dir;

  private List<SeedNamespace> read(String yaml) {
    return SeedFile.read(SeedFixtures.write(dir, yaml));
  }

  @Test
  void readsTheExampleWithTheLineOfEachItem() {
    List<SeedNamespace> namespaces = SeedFile.read(SeedFixtures.example());

    assertEquals(1, namespaces.size());
    SeedNamespace namespace = namespaces.get(0);
    assertEquals(4, namespace.line());
    assertEquals(
        new NamespaceSpec(
            "app.local", NamespaceType.DNS_PRIVATE, null, null, SeedFile.DEFAULT_VPC, null),
        namespace.spec());

    assertEquals(1, namespace.services().size());
    SeedService service = namespace.services().get(0);
    assertEquals(7, service.line());
    assertEquals(
        new ServiceSpec(
            "backend-api",
            null,
            null,
            new DnsConfig(
                RoutingPolicy.MULTIVALUE,
                List.of(new DnsRecord(RecordType.A, 60), new DnsRecord(RecordType.SRV, 60))),
            null,
            null,
            null),
        service.spec());

    // A port written as a YAML number reads the same as a quoted one.
    assertEquals(
        List.of(
            new SeedInstance(
                13,
                "backend-1",
                Map.of("AWS_INSTANCE_IPV4", "127.0.0.1", "AWS_INSTANCE_PORT", "8080")),
            new SeedInstance(
                15,
                "backend-2",
                Map.of("AWS_INSTANCE_IPV4", "127.0.0.2", "AWS_INSTANCE_PORT", "8080"))),
        service.instances());
  }

  @Test
  void fillsInCloudMapsDefaults() {
    List<SeedNamespace> namespaces =
        read(
            """
            namespaces:
              - name: app.local
                services:
                  - name: backend-api
                    dnsRecords:
                      - type: A
                    healthCheckConfig:
                      type: HTTPS
                  - name: tcp-checked
                    healthCheckConfig:
                      type: TCP
                  - name: custom
                    healthCheckCustomConfig: {}
                  - name: api-only
              - name: api
                type: HTTP
            """);

    SeedNamespace app = namespaces.get(0);
    assertEquals(NamespaceType.DNS_PRIVATE, app.spec().type());
    assertEquals(SeedFile.DEFAULT_VPC, app.spec().vpc());
    assertNull(app.spec().soaTtl());
    ServiceSpec backend = app.services().get(0).spec();
    assertEquals(
        new DnsConfig(RoutingPolicy.MULTIVALUE, List.of(new DnsRecord(RecordType.A, 60))),
        backend.dnsConfig());
    assertEquals(new HealthCheckConfig(HealthCheckType.HTTPS, "/", 1), backend.healthCheckConfig());
    assertEquals(
        new HealthCheckConfig(HealthCheckType.TCP, null, 1),
        app.services().get(1).spec().healthCheckConfig());
    assertEquals(
        new HealthCheckCustomConfig(1), app.services().get(2).spec().healthCheckCustomConfig());
    ServiceSpec apiOnly = app.services().get(3).spec();
    assertNull(apiOnly.dnsConfig());
    assertNull(apiOnly.healthCheckConfig());
    assertNull(apiOnly.healthCheckCustomConfig());
    assertTrue(app.services().get(3).instances().isEmpty());

    NamespaceSpec http = namespaces.get(1).spec();
    assertEquals(NamespaceType.HTTP, http.type());
    assertNull(http.vpc());
  }

  @Test
  void readsEveryField() {
    List<SeedNamespace> namespaces =
        read(
            """
            namespaces:
              - name: example.com
                type: DNS_PUBLIC
                soaTtl: 300
                services:
                  - name: legacy
                    routingPolicy: WEIGHTED
                    dnsRecords:
                      - type: CNAME
                        ttl: 600
                    healthCheckCustomConfig:
                      failureThreshold: 2
                  - name: checked
                    description: Checked over HTTP
                    healthCheckConfig:
                      type: HTTP
                      resourcePath: /health
                      failureThreshold: 3
              - name: vpc.local
                description: With its own VPC
                vpc: vpc-123
            """);

    NamespaceSpec example = namespaces.get(0).spec();
    assertEquals(NamespaceType.DNS_PUBLIC, example.type());
    assertEquals(300L, example.soaTtl());
    assertNull(example.vpc());
    ServiceSpec legacy = namespaces.get(0).services().get(0).spec();
    assertEquals(
        new DnsConfig(RoutingPolicy.WEIGHTED, List.of(new DnsRecord(RecordType.CNAME, 600))),
        legacy.dnsConfig());
    assertEquals(new HealthCheckCustomConfig(2), legacy.healthCheckCustomConfig());
    ServiceSpec checked = namespaces.get(0).services().get(1).spec();
    assertEquals("Checked over HTTP", checked.description());
    assertEquals(
        new HealthCheckConfig(HealthCheckType.HTTP, "/health", 3), checked.healthCheckConfig());
    assertEquals("vpc-123", namespaces.get(1).spec().vpc());
    assertEquals("With its own VPC", namespaces.get(1).spec().description());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\n\n", "# nothing here yet\n", "---\n", "namespaces: []\n"})
  void anEmptyFileHoldsNothing(String yaml) {
    assertEquals(List.of(), read(yaml));
  }

  static Stream<Arguments> problems() {
    return Stream.of(
        Arguments.of(
            "invalid YAML syntax",
            """
            namespaces:
              - name: app.local
                description: a: b
            """,
            3,
            "not valid YAML"),
        Arguments.of(
            "an unclosed flow list",
            """
            namespaces:
              - name: app.local
                services: [
              - name: other.local
            """,
            4,
            "not valid YAML"),
        Arguments.of(
            "an unknown key (a typo)",
            """
            namespaces:
              - name: app.local
                services:
                  - name: backend-api
                    routingpolicy: WEIGHTED
            """,
            5,
            "unknown key 'routingpolicy'"),
        Arguments.of(
            "an unknown top-level key",
            """
            # a comment first
            namespace:
              - name: app.local
            """,
            2,
            "unknown key 'namespace'"),
        Arguments.of(
            "a repeated key",
            """
            namespaces:
              - name: app.local
                services:
                  - name: backend-api
                    description: first
                    name: again
            """,
            6,
            "key 'name' appears twice"),
        Arguments.of(
            "a wrong namespace type",
            """
            namespaces:
              - name: app.local
                type: DNS_PRIVAT
            """,
            3,
            "'type' must be one of HTTP, DNS_PRIVATE, DNS_PUBLIC, got 'DNS_PRIVAT'"),
        Arguments.of(
            "a routing policy in lower case",
            """
            namespaces:
              - name: app.local
                services:
                  - name: backend-api
                    routingPolicy: weighted
            """,
            5,
            "'routingPolicy' must be one of MULTIVALUE, WEIGHTED"),
        Arguments.of(
            "an unsupported record type",
            """
            namespaces:
              - name: app.local
                services:
                  - name: backend-api
                    dnsRecords:
                      - type: A
                      - type: TXT
            """,
            7,
            "'type' must be one of A, AAAA, SRV, CNAME"),
        Arguments.of(
            "a non-numeric ttl",
            """
            namespaces:
              - name: app.local
                services:
                  - name: backend-api
                    dnsRecords:
                      - type: A
                        ttl: sixty
            """,
            7,
            "'ttl' must be a whole number, got 'sixty'"),
        Arguments.of(
            "a non-numeric soaTtl",
            """
            namespaces:
              - name: app.local
                soaTtl: 1.5
            """,
            3,
            "'soaTtl' must be a whole number"),
        Arguments.of(
            "a service without a name",
            """
            namespaces:
              - name: app.local
                services:
                  - description: nameless
                    dnsRecords:
                      - type: A
            """,
            4,
            "missing required key 'name'"),
        Arguments.of(
            "a namespace without a name",
            """
            namespaces:
              - type: HTTP
            """,
            2,
            "missing required key 'name'"),
        Arguments.of(
            "an instance without an id",
            """
            namespaces:
              - name: app.local
                services:
                  - name: backend-api
                    instances:
                      - attributes:
                          AWS_INSTANCE_IPV4: 127.0.0.1
            """,
            6,
            "missing required key 'id'"),
        Arguments.of(
            "a DNS record without a type",
            """
            namespaces:
              - name: app.local
                services:
                  - name: backend-api
                    dnsRecords:
                      - ttl: 60
            """,
            6,
            "missing required key 'type'"),
        Arguments.of(
            "a health check without a type",
            """
            namespaces:
              - name: app.local
                services:
                  - name: backend-api
                    healthCheckConfig:
                      resourcePath: /health
            """,
            6,
            "missing required key 'type'"),
        Arguments.of(
            "a list where a mapping is expected",
            """
            namespaces:
              - name: app.local
                services:
                  - name: backend-api
                    instances:
                      - id: i-1
                        attributes:
                          - AWS_INSTANCE_IPV4: 127.0.0.1
            """,
            8,
            "'attributes' must be a mapping"),
        Arguments.of(
            "a list as the whole file",
            """
            - name: app.local
            """,
            1,
            "the seed file must be a mapping"),
        Arguments.of(
            "a mapping where a list is expected",
            """
            namespaces:
              - name: app.local
                services:
                  name: backend-api
            """,
            4,
            "'services' must be a list"),
        Arguments.of(
            "a list item that is not a mapping",
            """
            namespaces:
              - app.local
            """,
            2,
            "a namespace must be a mapping"),
        Arguments.of(
            "a list where a plain value is expected",
            """
            namespaces:
              - name: [app.local]
            """,
            2,
            "'name' must be a plain value"),
        Arguments.of(
            "an attribute with a nested value",
            """
            namespaces:
              - name: app.local
                services:
                  - name: backend-api
                    instances:
                      - id: i-1
                        attributes:
                          AWS_INSTANCE_IPV4:
                            address: 127.0.0.1
            """,
            9,
            "'AWS_INSTANCE_IPV4' must be a plain value"),
        Arguments.of(
            "a failure threshold out of range",
            """
            namespaces:
              - name: app.local
                services:
                  - name: backend-api
                    healthCheckConfig:
                      type: HTTP
                      failureThreshold: 11
            """,
            7,
            "'failureThreshold' must be between 1 and 10, got 11"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void problems(String situation, String yaml, int line, String problem) {
    Path file = SeedFixtures.write(dir, yaml);

    SeedFixtures.assertSeedError(() -> SeedFile.read(file), file, line, problem);
  }

  @Test
  void namesTheFileWhenItCannotBeRead() {
    Path missing = dir.resolve("missing.yaml");

    SeedException e = assertThrows(SeedException.class, () -> SeedFile.read(missing));

    assertTrue(e.getMessage().startsWith(missing + ": "), e.getMessage());
  }
}
