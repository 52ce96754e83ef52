package dev.cloudmapdns.api.operations;

import dev.cloudmapdns.api.backend.CloudMapBackend;
import dev.cloudmapdns.api.backend.ServiceCreation;
import dev.cloudmapdns.api.backend.ServiceUpdate;
import dev.cloudmapdns.api.protocol.ApiException;
import dev.cloudmapdns.api.shapes.DnsConfig;
import dev.cloudmapdns.api.shapes.DnsRecord;
import dev.cloudmapdns.api.shapes.Filter;
import dev.cloudmapdns.api.shapes.HealthCheckConfig;
import dev.cloudmapdns.api.shapes.HealthCheckCustomConfig;
import dev.cloudmapdns.api.shapes.Service;
import dev.cloudmapdns.api.shapes.ServiceAttributes;
import dev.cloudmapdns.api.shapes.Tag;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Create, update, delete, get and list services, and their attributes. */
final class ServiceOperations {
  record CreateServiceRequest(
      String name,
      String namespaceId,
      String creatorRequestId,
      String description,
      DnsConfig dnsConfig,
      HealthCheckConfig healthCheckConfig,
      HealthCheckCustomConfig healthCheckCustomConfig,
      List<Tag> tags,
      String type) {}

  record UpdateServiceRequest(String id, ServiceChange service) {}

  record ServiceChange(
      String description, DnsConfigChange dnsConfig, HealthCheckConfig healthCheckConfig) {}

  record DnsConfigChange(List<DnsRecord> dnsRecords) {}

  record ServiceIdRequest(String serviceId) {}

  record UpdateServiceAttributesRequest(String serviceId, Map<String, String> attributes) {}

  record DeleteServiceAttributesRequest(String serviceId, List<String> attributes) {}

  record ListServicesRequest(String nextToken, Integer maxResults, List<Filter> filters) {}

  record ServiceResponse(Service service) {}

  record ServiceAttributesResponse(ServiceAttributes serviceAttributes) {}

  record ListServicesResponse(List<Service> services, String nextToken) {}

  private final CloudMapBackend backend;

  ServiceOperations(CloudMapBackend backend) {
    this.backend = backend;
  }

  void register(Routes routes) {
    routes.add("CreateService", CreateServiceRequest.class, this::create);
    routes.add("UpdateService", UpdateServiceRequest.class, this::update);
    routes.add(
        "DeleteService",
        IdRequest.class,
        r -> {
          backend.deleteService(r.id());
          return new EmptyResponse();
        });
    routes.add("GetService", IdRequest.class, r -> new ServiceResponse(backend.service(r.id())));
    routes.add("ListServices", ListServicesRequest.class, this::list);
    routes.add(
        "GetServiceAttributes",
        ServiceIdRequest.class,
        r -> new ServiceAttributesResponse(backend.serviceAttributes(r.serviceId())));
    routes.add(
        "UpdateServiceAttributes",
        UpdateServiceAttributesRequest.class,
        r -> {
          backend.updateServiceAttributes(r.serviceId(), r.attributes());
          return new EmptyResponse();
        });
    routes.add(
        "DeleteServiceAttributes",
        DeleteServiceAttributesRequest.class,
        r -> {
          backend.deleteServiceAttributes(r.serviceId(), r.attributes());
          return new EmptyResponse();
        });
  }

  private ServiceResponse create(CreateServiceRequest r) {
    if ("HTTP".equals(r.type()) && r.dnsConfig() != null) {
      throw ApiException.invalidInput(
          "Type HTTP makes a service discoverable only through the API: it cannot have a DnsConfig");
    }
    String namespaceId = r.namespaceId();
    String deprecated = r.dnsConfig() == null ? null : r.dnsConfig().namespaceId();
    if (namespaceId == null) {
      namespaceId = deprecated;
    } else if (deprecated != null && !sameNamespace(namespaceId, deprecated)) {
      throw ApiException.invalidInput(
          "NamespaceId and DnsConfig.NamespaceId name different namespaces");
    }
    if (namespaceId == null) {
      throw ApiException.invalidInput(
          "NamespaceId is required (or the deprecated DnsConfig.NamespaceId)");
    }
    return new ServiceResponse(
        backend.createService(
            new ServiceCreation(
                r.name(),
                namespaceId,
                r.description(),
                r.dnsConfig(),
                r.healthCheckConfig(),
                r.healthCheckCustomConfig(),
                r.type(),
                r.creatorRequestId(),
                Tags.toMap(r.tags()))));
  }

  private boolean sameNamespace(String a, String b) {
    return ResolvedIds.namespace(backend, a).equals(ResolvedIds.namespace(backend, b));
  }

  private OperationResponse update(UpdateServiceRequest r) {
    ServiceChange change = r.service();
    List<DnsRecord> records = change.dnsConfig() == null ? null : change.dnsConfig().dnsRecords();
    return new OperationResponse(
        backend.updateService(
            r.id(), new ServiceUpdate(change.description(), records, change.healthCheckConfig())));
  }

  private ListServicesResponse list(ListServicesRequest r) {
    Predicate<Service> wanted = s -> true;
    if (r.filters() != null) {
      for (Filter filter : r.filters()) {
        wanted = wanted.and(filter(filter));
      }
    }
    List<Service> matching =
        backend.services().stream().filter(wanted).map(Service::summary).toList();
    Page<Service> page =
        Page.of(matching, Service::id, r.maxResults(), r.nextToken(), "ListServices");
    return new ListServicesResponse(page.items(), page.nextToken());
  }

  private Predicate<Service> filter(Filter filter) {
    if (filter.name().equals("NAMESPACE_ID")) {
      FilterRule.condition(filter, Set.of("EQ", "IN"));
      Set<String> ids =
          Set.copyOf(filter.values().stream().map(v -> ResolvedIds.namespace(backend, v)).toList());
      return s -> ids.contains(s.namespaceId());
    }
    // RESOURCE_OWNER: every service here is in one of the caller's own namespaces.
    Predicate<String> owner = FilterRule.text(filter, Set.of("EQ"));
    return s -> owner.test("SELF");
  }
}
