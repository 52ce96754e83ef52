package dev.cloudmapdns.api.operations;

import dev.cloudmapdns.api.backend.BackendException;
import dev.cloudmapdns.api.backend.BackendFailure;
import dev.cloudmapdns.api.backend.CloudMapBackend;
import dev.cloudmapdns.api.backend.InstanceState;
import dev.cloudmapdns.api.backend.ServiceInstances;
import dev.cloudmapdns.api.shapes.HttpInstanceSummary;
import java.util.List;
import java.util.Map;

/**
 * DiscoverInstances and DiscoverInstancesRevision. The order of the filters follows the API
 * documentation: the health filter (only for services with a health configuration), then every
 * QueryParameters pair, then OptionalParameters if any remaining instance matches them all, then
 * MaxResults.
 */
final class DiscoveryOperations {
  static final int DEFAULT_MAX_RESULTS = 100;

  record DiscoverInstancesRequest(
      String namespaceName,
      String serviceName,
      Integer maxResults,
      Map<String, String> queryParameters,
      Map<String, String> optionalParameters,
      String healthStatus,
      String ownerAccount) {}

  record DiscoverInstancesRevisionRequest(
      String namespaceName, String serviceName, String ownerAccount) {}

  record DiscoverInstancesResponse(List<HttpInstanceSummary> instances, Long instancesRevision) {}

  record DiscoverInstancesRevisionResponse(Long instancesRevision) {}

  private final CloudMapBackend backend;

  DiscoveryOperations(CloudMapBackend backend) {
    this.backend = backend;
  }

  void register(Routes routes) {
    routes.add("DiscoverInstances", DiscoverInstancesRequest.class, this::discover);
    routes.add(
        "DiscoverInstancesRevision",
        DiscoverInstancesRevisionRequest.class,
        r ->
            new DiscoverInstancesRevisionResponse(
                lookup(r.namespaceName(), r.serviceName(), r.ownerAccount()).revision()));
  }

  private DiscoverInstancesResponse discover(DiscoverInstancesRequest r) {
    ServiceInstances service = lookup(r.namespaceName(), r.serviceName(), r.ownerAccount());
    List<InstanceState> candidates = byHealth(service, r.healthStatus());
    candidates = candidates.stream().filter(s -> matchesAll(s, r.queryParameters())).toList();
    if (r.optionalParameters() != null && !r.optionalParameters().isEmpty()) {
      List<InstanceState> preferred =
          candidates.stream().filter(s -> matchesAll(s, r.optionalParameters())).toList();
      if (!preferred.isEmpty()) {
        candidates = preferred;
      }
    }
    int max = r.maxResults() == null ? DEFAULT_MAX_RESULTS : r.maxResults();
    List<HttpInstanceSummary> instances =
        candidates.stream()
            .limit(max)
            .map(
                s ->
                    new HttpInstanceSummary(
                        s.instance().id(),
                        service.namespaceName(),
                        service.serviceName(),
                        s.healthStatus(),
                        s.instance().attributes()))
            .toList();
    return new DiscoverInstancesResponse(instances, service.revision());
  }

  private ServiceInstances lookup(String namespaceName, String serviceName, String ownerAccount) {
    if (ownerAccount != null && !ownerAccount.equals(backend.accountId())) {
      throw new BackendException(
          BackendFailure.NAMESPACE_NOT_FOUND,
          "Namespace " + namespaceName + " not found in account " + ownerAccount);
    }
    return backend.discover(namespaceName, serviceName);
  }

  private static List<InstanceState> byHealth(ServiceInstances service, String filter) {
    List<InstanceState> all = service.instances();
    if (!service.hasHealthConfig()) {
      return all;
    }
    String wanted = filter == null ? "HEALTHY" : filter;
    return switch (wanted) {
      case "ALL" -> all;
      case "UNHEALTHY" -> withHealth(all, "UNHEALTHY");
      case "HEALTHY_OR_ELSE_ALL" -> {
        List<InstanceState> healthy = withHealth(all, "HEALTHY");
        yield healthy.isEmpty() ? all : healthy;
      }
      default -> withHealth(all, "HEALTHY");
    };
  }

  private static List<InstanceState> withHealth(List<InstanceState> all, String status) {
    return all.stream().filter(s -> s.healthStatus().equals(status)).toList();
  }

  private static boolean matchesAll(InstanceState state, Map<String, String> parameters) {
    if (parameters == null) {
      return true;
    }
    Map<String, String> attributes = state.instance().attributes();
    return parameters.entrySet().stream()
        .allMatch(p -> p.getValue().equals(attributes.get(p.getKey())));
  }
}
