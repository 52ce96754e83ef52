package dev.cloudmapdns.server.registry;

import static dev.cloudmapdns.server.testing.InstanceAttributes.attributes;
import static dev.cloudmapdns.server.testing.ServiceSpecBuilder.service;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.server.testing.InstanceAttributes;
import dev.cloudmapdns.server.testing.ServiceSpecBuilder;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cloud Map's input rules as tables: each valid row passes, each invalid row is refused with
 * INVALID_INPUT and a message that names the offending field.
 */
class RegistryRulesTest {
  private static final Namespace DNS_NAMESPACE = namespace(NamespaceType.DNS_PRIVATE, "app.local");
  private static final Namespace HTTP_NAMESPACE = namespace(NamespaceType.HTTP, "api");

  private static Namespace namespace(NamespaceType type, String name) {
    return new Namespace(
        "ns-aaaaaaaaaaaaaaaa", "arn", name, type, null, 15, "vpc-1", null, Instant.EPOCH);
  }

  /** The service a spec would create, so that instance rules can be checked against it. */
  private static Service created(ServiceSpecBuilder spec) {
    ServiceSpec s = spec.build();
    return new Service(
        "srv-aaaaaaaaaaaaaaaa",
        "arn",
        s.name(),
        DNS_NAMESPACE.id(),
        null,
        s.dnsConfig(),
        s.healthCheckConfig(),
        s.healthCheckCustomConfig(),
        null,
        Instant.EPOCH);
  }

  private static void assertInvalid(String field, Executable check) {
    RegistryException e = assertThrows(RegistryException.class, check);
    assertEquals(RegistryError.INVALID_INPUT, e.error(), e.getMessage());
    assertTrue(
        e.getMessage().contains(field),
        () -> "message should name " + field + ": " + e.getMessage());
  }

  private static String repeat(char c, int times) {
    return String.valueOf(c).repeat(times);
  }

  /** "SRV+A" as record types; "" as none. */
  private static RecordType[] types(String combination) {
    return combination.isEmpty()
        ? new RecordType[0]
        : Arrays.stream(combination.split("\\+"))
            .map(RecordType::valueOf)
            .toArray(RecordType[]::new);
  }

  @Nested
  class RecordTypes {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "A",
          "AAAA",
          "A+AAAA",
          "AAAA+A",
          "SRV",
          "SRV+A",
          "A+SRV",
          "SRV+AAAA",
          "SRV+A+AAAA"
        })
    void acceptsAddressAndSrvCombinations(String combination) {
      ServiceSpec spec = service("backend-api").records(types(combination)).build();

      assertDoesNotThrow(() -> RegistryRules.checkService(spec, DNS_NAMESPACE));
    }

    @Test
    void acceptsCnameAloneWithWeightedRouting() {
      ServiceSpec spec = service("legacy").records(RecordType.CNAME).weighted().build();

      assertDoesNotThrow(() -> RegistryRules.checkService(spec, DNS_NAMESPACE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CNAME+A", "CNAME+AAAA", "CNAME+SRV", "A+A", "SRV+A+SRV", ""})
    void refusesOtherCombinationsEmptyListsAndRepeatedTypes(String combination) {
      ServiceSpecBuilder builder = service("backend-api").weighted();
      ServiceSpec spec =
          combination.isEmpty()
              ? builder.emptyDnsConfig().build()
              : builder.records(types(combination)).build();

      assertInvalid("DnsRecords", () -> RegistryRules.checkService(spec, DNS_NAMESPACE));
    }
  }

  static Stream<Arguments> validServices() {
    return Stream.of(
        Arguments.of("TTL 0", service("s").record(RecordType.A, 0)),
        Arguments.of("TTL 2147483647", service("s").record(RecordType.A, 2_147_483_647L)),
        Arguments.of("HTTP check", service("s").records(RecordType.A).httpHealthCheck()),
        Arguments.of(
            "HTTPS check, threshold 10",
            service("s").healthCheck(HealthCheckType.HTTPS, "/ready", 10)),
        Arguments.of(
            "HTTP check, threshold 1", service("s").healthCheck(HealthCheckType.HTTP, "/", 1)),
        Arguments.of(
            "HTTP check, default path", service("s").healthCheck(HealthCheckType.HTTP, null, 3)),
        Arguments.of(
            "TCP check without path", service("s").healthCheck(HealthCheckType.TCP, null, 3)),
        Arguments.of("custom health, threshold 1", service("s").customHealth(1)),
        Arguments.of("custom health, threshold 10", service("s").customHealth(10)),
        Arguments.of(
            "CNAME, weighted, custom health",
            service("s").records(RecordType.CNAME).weighted().customHealth()),
        Arguments.of("description of 1024", service("s").description(repeat('d', 1024))),
        Arguments.of("no DnsConfig", service("s")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void validServices(String situation, ServiceSpecBuilder spec) {
    assertDoesNotThrow(() -> RegistryRules.checkService(spec.build(), DNS_NAMESPACE), situation);
  }

  static Stream<Arguments> invalidServices() {
    return Stream.of(
        Arguments.of(
            "CNAME with MULTIVALUE", service("s").records(RecordType.CNAME), "RoutingPolicy"),
        Arguments.of(
            "CNAME with a health check",
            service("s").records(RecordType.CNAME).weighted().httpHealthCheck(),
            "HealthCheckConfig"),
        Arguments.of("TTL -1", service("s").record(RecordType.A, -1), "DnsRecords.TTL"),
        Arguments.of(
            "TTL 2147483648", service("s").record(RecordType.A, 2_147_483_648L), "DnsRecords.TTL"),
        Arguments.of(
            "one of two TTLs out of range",
            service("s").record(RecordType.SRV, 60).record(RecordType.A, -5),
            "DnsRecords.TTL"),
        Arguments.of(
            "health check threshold 0",
            service("s").healthCheck(HealthCheckType.HTTP, "/", 0),
            "HealthCheckConfig.FailureThreshold"),
        Arguments.of(
            "health check threshold 11",
            service("s").healthCheck(HealthCheckType.HTTP, "/", 11),
            "HealthCheckConfig.FailureThreshold"),
        Arguments.of(
            "custom threshold 0",
            service("s").customHealth(0),
            "HealthCheckCustomConfig.FailureThreshold"),
        Arguments.of(
            "custom threshold 11",
            service("s").customHealth(11),
            "HealthCheckCustomConfig.FailureThreshold"),
        Arguments.of(
            "TCP check with a path",
            service("s").healthCheck(HealthCheckType.TCP, "/", 1),
            "ResourcePath"),
        Arguments.of(
            "path of 256 characters",
            service("s").healthCheck(HealthCheckType.HTTP, "/" + repeat('p', 255), 1),
            "ResourcePath"),
        Arguments.of(
            "both health configs",
            service("s").httpHealthCheck().customHealth(),
            "HealthCheckCustomConfig"),
        Arguments.of(
            "description of 1025", service("s").description(repeat('d', 1025)), "Description"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void invalidServices(String situation, ServiceSpecBuilder spec, String field) {
    assertInvalid(field, () -> RegistryRules.checkService(spec.build(), DNS_NAMESPACE));
  }

  @Test
  void refusesDnsConfigInAnHttpNamespace() {
    ServiceSpec spec = service("backend-api").records(RecordType.A).build();

    assertInvalid("DnsConfig", () -> RegistryRules.checkService(spec, HTTP_NAMESPACE));
  }

  @Test
  void acceptsAServiceWithoutDnsConfigAndWithAHealthCheckInAnHttpNamespace() {
    ServiceSpec spec = service("backend-api").httpHealthCheck().build();

    assertDoesNotThrow(() -> RegistryRules.checkService(spec, HTTP_NAMESPACE));
  }

  @Nested
  class ServiceNames {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "backend-api",
          "Backend_API",
          "a",
          "7",
          "_http._tcp",
          "_grpc._tcp.backend",
          "v1.backend-api",
          "."
        })
    void acceptsServiceNames(String name) {
      assertDoesNotThrow(
          () -> RegistryRules.checkService(service(name).build(), DNS_NAMESPACE), name);
    }

    @Test
    void acceptsLabelsOf63AndNamesOf127Characters() {
      String name = repeat('a', 63) + "." + repeat('b', 63);

      assertEquals(127, name.length());
      assertDoesNotThrow(() -> RegistryRules.checkService(service(name).build(), DNS_NAMESPACE));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          "-backend",
          "backend-",
          "back end",
          "backend.",
          ".backend",
          "a..b",
          "back/end",
          "bäckend",
          "..",
          "a.-b"
        })
    void refusesServiceNames(String name) {
      assertInvalid("Name", () -> RegistryRules.checkService(service(name).build(), DNS_NAMESPACE));
    }

    @Test
    void refusesLabelsOf64AndNamesOf128Characters() {
      String longLabel = repeat('a', 64);
      String longName = repeat('a', 63) + "." + repeat('b', 62) + ".c";

      assertEquals(128, longName.length());
      assertInvalid(
          "Name", () -> RegistryRules.checkService(service(longLabel).build(), DNS_NAMESPACE));
      assertInvalid(
          "Name", () -> RegistryRules.checkService(service(longName).build(), DNS_NAMESPACE));
    }

    @Test
    void refusesAMissingName() {
      assertInvalid("Name", () -> RegistryRules.checkService(service(null).build(), DNS_NAMESPACE));
    }
  }

  @Nested
  class NamespaceNames {
    private NamespaceSpec spec(NamespaceType type, String name, String vpc) {
      return new NamespaceSpec(name, type, null, null, vpc, null);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"app.local", "local", "app.local.", "_internal.app.local", "APP.Local", "a-b.c"})
    void acceptsPrivateDnsNames(String name) {
      assertDoesNotThrow(
          () -> RegistryRules.checkNamespace(spec(NamespaceType.DNS_PRIVATE, name, "vpc-1")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "app local", "-app.local", "app-.local", "app..local", "app/x"})
    void refusesPrivateNamesThatAreNotDnsNames(String name) {
      assertInvalid(
          "Name",
          () -> RegistryRules.checkNamespace(spec(NamespaceType.DNS_PRIVATE, name, "vpc-1")));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t"})
    void privateNamespacesNeedAVpc(String vpc) {
      assertInvalid(
          "Vpc",
          () -> RegistryRules.checkNamespace(spec(NamespaceType.DNS_PRIVATE, "app.local", vpc)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "sub.example.com", "x1.example-domain.org", "a.b"})
    void acceptsPublicDnsNames(String name) {
      assertDoesNotThrow(
          () -> RegistryRules.checkNamespace(spec(NamespaceType.DNS_PUBLIC, name, null)));
    }

    /** NamespaceNamePublic: two or more labels of letters, digits and inner hyphens. */
    @ParameterizedTest
    @ValueSource(
        strings = {
          "_srv.example.com",
          "example",
          "example.com.",
          "-example.com",
          "example-.com",
          "ex ample.com",
          "example..com"
        })
    void refusesPublicNamesOutsideThePublicPattern(String name) {
      assertInvalid(
          "Name", () -> RegistryRules.checkNamespace(spec(NamespaceType.DNS_PUBLIC, name, null)));
    }

    @Test
    void publicNamesHaveAtMost253Characters() {
      String label = repeat('a', 63);
      String longest = String.join(".", label, label, label, repeat('b', 61));
      String tooLong = String.join(".", label, label, label, repeat('b', 62));

      assertEquals(253, longest.length());
      assertDoesNotThrow(
          () -> RegistryRules.checkNamespace(spec(NamespaceType.DNS_PUBLIC, longest, null)));
      assertInvalid(
          "Name",
          () -> RegistryRules.checkNamespace(spec(NamespaceType.DNS_PUBLIC, tooLong, null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"api", "my_api!~", "arn-like", "app.local"})
    void acceptsHttpNames(String name) {
      assertDoesNotThrow(() -> RegistryRules.checkNamespace(spec(NamespaceType.HTTP, name, null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "my api", "arn:aws:servicediscovery", "tab\tname"})
    void refusesHttpNames(String name) {
      assertInvalid(
          "Name", () -> RegistryRules.checkNamespace(spec(NamespaceType.HTTP, name, null)));
    }

    @Test
    void refusesHttpNamesLongerThan1024() {
      assertDoesNotThrow(
          () -> RegistryRules.checkNamespace(spec(NamespaceType.HTTP, repeat('n', 1024), null)));
      assertInvalid(
          "Name",
          () -> RegistryRules.checkNamespace(spec(NamespaceType.HTTP, repeat('n', 1025), null)));
    }

    @Test
    void refusesAMissingNameOrType() {
      assertInvalid(
          "Name",
          () -> RegistryRules.checkNamespace(spec(NamespaceType.DNS_PRIVATE, null, "vpc-1")));
      assertInvalid("Type", () -> RegistryRules.checkNamespace(spec(null, "app.local", "vpc-1")));
    }

    @Test
    void soaTtlHasTheRecordTtlBounds() {
      for (long ttl : new long[] {0, 2_147_483_647L}) {
        assertDoesNotThrow(
            () ->
                RegistryRules.checkNamespace(
                    new NamespaceSpec(
                        "app.local", NamespaceType.DNS_PRIVATE, null, ttl, "vpc-1", null)));
      }
      for (long ttl : new long[] {-1, 2_147_483_648L}) {
        assertInvalid(
            "SOA.TTL",
            () ->
                RegistryRules.checkNamespace(
                    new NamespaceSpec(
                        "app.local", NamespaceType.DNS_PRIVATE, null, ttl, "vpc-1", null)));
      }
    }
  }

  @Nested
  class InstanceIds {
    private final Service httpService = created(service("api-only"));

    @ParameterizedTest
    @ValueSource(
        strings = {
          "i-1",
          "i-0123456789abcdef0",
          "127.0.0.1:8080",
          "default/backend-7f9c",
          "task@cluster",
          "a_b.c-D",
          "arn:aws:ecs:us-east-1:123456789012:task/abc"
        })
    void acceptsIds(String id) {
      assertDoesNotThrow(() -> RegistryRules.checkInstance(id, Map.of(), httpService));
    }

    @Test
    void acceptsIdsOfUpTo64Characters() {
      assertDoesNotThrow(() -> RegistryRules.checkInstance(repeat('i', 64), Map.of(), httpService));
      assertInvalid(
          "InstanceId", () -> RegistryRules.checkInstance(repeat('i', 65), Map.of(), httpService));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "ünicode", "a#b", "a,b", "a+b", "a*"})
    void refusesIds(String id) {
      assertInvalid("InstanceId", () -> RegistryRules.checkInstance(id, Map.of(), httpService));
    }

    @Test
    void refusesAMissingId() {
      assertInvalid("InstanceId", () -> RegistryRules.checkInstance(null, Map.of(), httpService));
    }
  }

  private static ServiceSpecBuilder a() {
    return service("s").records(RecordType.A);
  }

  private static ServiceSpecBuilder aaaa() {
    return service("s").records(RecordType.AAAA);
  }

  private static ServiceSpecBuilder srv() {
    return service("s").records(RecordType.SRV);
  }

  private static ServiceSpecBuilder cname() {
    return service("s").records(RecordType.CNAME).weighted();
  }

  private static ServiceSpecBuilder apiOnly() {
    return service("s");
  }

  /** {@code count} custom attributes named k00.., each with {@code valueLength} characters. */
  private static InstanceAttributes custom(int count, int valueLength) {
    InstanceAttributes attributes = attributes();
    IntStream.range(0, count)
        .forEach(i -> attributes.put(String.format("k%02d", i), repeat('v', valueLength)));
    return attributes;
  }

  static Stream<Arguments> validAttributes() {
    return Stream.of(
        Arguments.of("A with IPv4", a(), attributes().ipv4("127.0.0.1")),
        Arguments.of("AAAA with IPv6", aaaa(), attributes().ipv6("2001:db8::1")),
        Arguments.of("AAAA with full IPv6", aaaa(), attributes().ipv6("0:0:0:0:0:0:0:1")),
        Arguments.of("AAAA with mapped IPv4", aaaa(), attributes().ipv6("::ffff:127.0.0.1")),
        Arguments.of(
            "A+AAAA with both",
            service("s").records(RecordType.A, RecordType.AAAA),
            attributes().ipv4("127.0.0.1").ipv6("::1")),
        Arguments.of("SRV with IPv4 and port", srv(), attributes().ipv4("127.0.0.1").port(8080)),
        Arguments.of("SRV with IPv6 and port", srv(), attributes().ipv6("::1").port(8080)),
        Arguments.of("port 1", srv(), attributes().ipv4("127.0.0.1").port(1)),
        Arguments.of("port 65535", srv(), attributes().ipv4("127.0.0.1").port(65_535)),
        Arguments.of("CNAME", cname(), attributes().cname("old.example.com")),
        Arguments.of("CNAME with trailing dot", cname(), attributes().cname("old.example.com.")),
        Arguments.of(
            "health check with port",
            a().httpHealthCheck(),
            attributes().ipv4("127.0.0.1").port(8080)),
        Arguments.of(
            "init HEALTHY with custom health",
            a().customHealth(),
            attributes().ipv4("127.0.0.1").initHealth("HEALTHY")),
        Arguments.of(
            "init UNHEALTHY with custom health",
            a().customHealth(),
            attributes().ipv4("127.0.0.1").initHealth("UNHEALTHY")),
        Arguments.of("no attributes for an API-only service", apiOnly(), attributes()),
        Arguments.of("30 custom attributes", apiOnly(), custom(30, 4)),
        Arguments.of(
            "30 custom attributes besides reserved ones",
            a(),
            custom(30, 4).ipv4("127.0.0.1").port(80)),
        Arguments.of("5000 characters in all", apiOnly(), custom(5, 1000 - 3)),
        Arguments.of("value of 1024", apiOnly(), attributes().put("k", repeat('v', 1024))),
        Arguments.of("key of 255", apiOnly(), attributes().put(repeat('k', 255), "v")),
        Arguments.of("value with inner spaces", apiOnly(), attributes().put("k", "a b\tc")),
        Arguments.of("empty value", apiOnly(), attributes().put("k", "")),
        Arguments.of("punctuation key", apiOnly(), attributes().put("app.kubernetes.io/name", "x")),
        Arguments.of(
            "alias with WEIGHTED", a().weighted(), attributes().put(Instance.ALIAS_DNS_NAME, "lb")),
        Arguments.of(
            "EC2 instance id", apiOnly(), attributes().put(Instance.EC2_INSTANCE_ID, "i-0abc")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void validAttributes(String situation, ServiceSpecBuilder spec, InstanceAttributes attributes) {
    Service service = created(spec);
    assertDoesNotThrow(
        () -> RegistryRules.checkService(spec.build(), DNS_NAMESPACE), "fixture: " + situation);

    assertDoesNotThrow(
        () -> RegistryRules.checkInstance("i-1", attributes.build(), service), situation);
  }

  static Stream<Arguments> invalidAttributes() {
    return Stream.of(
        Arguments.of("A without IPv4", a(), attributes(), "AWS_INSTANCE_IPV4"),
        Arguments.of("A with IPv6 only", a(), attributes().ipv6("::1"), "AWS_INSTANCE_IPV4"),
        Arguments.of(
            "AAAA with IPv4 only", aaaa(), attributes().ipv4("127.0.0.1"), "AWS_INSTANCE_IPV6"),
        Arguments.of(
            "A+AAAA without IPv6",
            service("s").records(RecordType.A, RecordType.AAAA),
            attributes().ipv4("127.0.0.1"),
            "AWS_INSTANCE_IPV6"),
        Arguments.of(
            "SRV without port", srv(), attributes().ipv4("127.0.0.1"), "AWS_INSTANCE_PORT"),
        Arguments.of("SRV without address", srv(), attributes().port(80), "AWS_INSTANCE_IPV4"),
        Arguments.of("CNAME without target", cname(), attributes(), "AWS_INSTANCE_CNAME"),
        Arguments.of(
            "CNAME with an invalid target",
            cname(),
            attributes().cname("not a name"),
            "AWS_INSTANCE_CNAME"),
        Arguments.of(
            "health check without port",
            apiOnly().httpHealthCheck(),
            attributes(),
            "AWS_INSTANCE_PORT"),
        Arguments.of("IPv4 octet 256", a(), attributes().ipv4("127.0.0.256"), "AWS_INSTANCE_IPV4"),
        Arguments.of("IPv4 of 3 octets", a(), attributes().ipv4("127.0.0"), "AWS_INSTANCE_IPV4"),
        Arguments.of("IPv4 host name", a(), attributes().ipv4("localhost"), "AWS_INSTANCE_IPV4"),
        Arguments.of("IPv4 given IPv6", a(), attributes().ipv4("::1"), "AWS_INSTANCE_IPV4"),
        Arguments.of(
            "IPv6 given IPv4", aaaa(), attributes().ipv6("127.0.0.1"), "AWS_INSTANCE_IPV6"),
        Arguments.of("IPv6 bad digit", aaaa(), attributes().ipv6("fd00::g"), "AWS_INSTANCE_IPV6"),
        Arguments.of(
            "IPv6 of 9 groups",
            aaaa(),
            attributes().ipv6("1:2:3:4:5:6:7:8:9"),
            "AWS_INSTANCE_IPV6"),
        Arguments.of(
            "port 0",
            srv(),
            attributes().ipv4("127.0.0.1").put(Instance.PORT, "0"),
            "AWS_INSTANCE_PORT"),
        Arguments.of(
            "port 65536",
            srv(),
            attributes().ipv4("127.0.0.1").put(Instance.PORT, "65536"),
            "AWS_INSTANCE_PORT"),
        Arguments.of(
            "port -1",
            srv(),
            attributes().ipv4("127.0.0.1").put(Instance.PORT, "-1"),
            "AWS_INSTANCE_PORT"),
        Arguments.of(
            "port by name",
            srv(),
            attributes().ipv4("127.0.0.1").put(Instance.PORT, "http"),
            "AWS_INSTANCE_PORT"),
        Arguments.of(
            "init health without custom health",
            a(),
            attributes().ipv4("127.0.0.1").initHealth("HEALTHY"),
            "AWS_INIT_HEALTH_STATUS"),
        Arguments.of(
            "init health with an active check",
            a().httpHealthCheck(),
            attributes().ipv4("127.0.0.1").port(80).initHealth("HEALTHY"),
            "AWS_INIT_HEALTH_STATUS"),
        Arguments.of(
            "init health UNKNOWN",
            a().customHealth(),
            attributes().ipv4("127.0.0.1").initHealth("UNKNOWN"),
            "AWS_INIT_HEALTH_STATUS"),
        Arguments.of(
            "init health in lower case",
            a().customHealth(),
            attributes().ipv4("127.0.0.1").initHealth("healthy"),
            "AWS_INIT_HEALTH_STATUS"),
        Arguments.of("31 custom attributes", apiOnly(), custom(31, 4), "30 custom attributes"),
        Arguments.of(
            "31 custom attributes besides reserved ones",
            a(),
            custom(31, 4).ipv4("127.0.0.1"),
            "30 custom attributes"),
        Arguments.of("5001 characters in all", apiOnly(), custom(5, 1000 - 3).put("x", ""), "5000"),
        Arguments.of(
            "5000 characters plus reserved ones",
            a(),
            custom(5, 1000 - 3).ipv4("127.0.0.1"),
            "5000"),
        Arguments.of(
            "value with a leading space", apiOnly(), attributes().put("stage", " blue"), "stage"),
        Arguments.of("value of 1025", apiOnly(), attributes().put("k", repeat('v', 1025)), "k"),
        Arguments.of(
            "value with a line break", apiOnly(), attributes().put("note", "a\nb"), "note"),
        Arguments.of("null value", apiOnly(), attributes().put("k", null), "Attributes.k"),
        Arguments.of("key with a space", apiOnly(), attributes().put("my key", "v"), "my key"),
        Arguments.of("empty key", apiOnly(), attributes().put("", "v"), "Attributes key"),
        Arguments.of(
            "key of 256", apiOnly(), attributes().put(repeat('k', 256), "v"), "Attributes key"),
        Arguments.of(
            "alias with MULTIVALUE",
            a(),
            attributes().put(Instance.ALIAS_DNS_NAME, "lb"),
            "AWS_ALIAS_DNS_NAME"),
        Arguments.of(
            "alias with an address",
            a().weighted(),
            attributes().put(Instance.ALIAS_DNS_NAME, "lb").ipv4("127.0.0.1"),
            "AWS_ALIAS_DNS_NAME"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void invalidAttributes(
      String situation, ServiceSpecBuilder spec, InstanceAttributes attributes, String field) {
    Service service = created(spec);
    assertDoesNotThrow(
        () -> RegistryRules.checkService(spec.build(), DNS_NAMESPACE), "fixture: " + situation);

    assertInvalid(field, () -> RegistryRules.checkInstance("i-1", attributes.build(), service));
  }

  @Test
  void refusesMissingAttributes() {
    assertInvalid("Attributes", () -> RegistryRules.checkInstance("i-1", null, created(apiOnly())));
  }
}
