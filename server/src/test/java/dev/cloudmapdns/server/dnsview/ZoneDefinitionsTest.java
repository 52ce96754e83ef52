package dev.cloudmapdns.server.dnsview;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cloudmapdns.dns.zone.Endpoint;
import dev.cloudmapdns.dns.zone.ServiceDefinition;
import dev.cloudmapdns.server.registry.HealthCheckConfig;
import dev.cloudmapdns.server.registry.HealthCheckType;
import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.testing.RegistryFixture;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZoneDefinitionsTest {

  /**
   * Each row: the health of instances a, b and c (H healthy, X unhealthy, U unknown), whether
   * fail-open is on, and the instances answered.
   */
  @ParameterizedTest(name = "{0} fail-open={1} -> {2}")
  @CsvSource({
    "HHH, false, abc",
    "HXU, false, a",
    "XXX, false, ''",
    "UUU, false, ''",
    "XXU, false, ''",
    "HXU, true, a",
    "HHX, true, ab",
    "XXX, true, abc",
    "XXU, true, ab",
    "UUU, true, ''",
  })
  void answersHealthyInstancesAndFailsOpenOnlyWhenAsked(
      String health, boolean failOpen, String answered) {
    RegistryFixture fixture = new RegistryFixture();
    String service = fixture.service("api", new HealthCheckConfig(HealthCheckType.TCP, null, 1));
    String ids = "abc";
    for (int i = 0; i < 3; i++) {
      String id = ids.substring(i, i + 1);
      fixture.register(service, id, "127.0.0." + (i + 1), 8080); // data only: no checks run here
      HealthStatus status =
          switch (health.charAt(i)) {
            case 'H' -> HealthStatus.HEALTHY;
            case 'X' -> HealthStatus.UNHEALTHY;
            default -> HealthStatus.UNKNOWN;
          };
      if (status != HealthStatus.UNKNOWN) {
        fixture.registry.updateHealth(service, id, status);
      }
    }
    RegistryState state = fixture.registry.state();
    ServiceDefinition definition =
        new ZoneDefinitions(failOpen).service(state.servicesIn(fixture.namespaceId).get(0));
    List<Endpoint> endpoints = definition.endpoints();
    Set<String> actual =
        endpoints.stream()
            .filter(Endpoint::answerable)
            .map(Endpoint::instanceId)
            .collect(Collectors.toSet());
    assertEquals(
        answered.chars().mapToObj(c -> String.valueOf((char) c)).collect(Collectors.toSet()),
        actual);
  }
}
