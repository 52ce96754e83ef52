package dev.cloudmapdns.api.operations;

import dev.cloudmapdns.api.backend.BackendException;
import dev.cloudmapdns.api.backend.BackendFailure;
import dev.cloudmapdns.api.backend.CloudMapBackend;
import dev.cloudmapdns.api.backend.InstanceRegistration;
import dev.cloudmapdns.api.backend.InstanceState;
import dev.cloudmapdns.api.backend.ServiceInstances;
import dev.cloudmapdns.api.shapes.Instance;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Register, deregister, read and list instances, and their health. */
final class InstanceOperations {
  record RegisterInstanceRequest(
      String serviceId,
      String instanceId,
      String creatorRequestId,
      Map<String, String> attributes) {}

  record InstanceRequest(String serviceId, String instanceId) {}

  record ListInstancesRequest(String serviceId, String nextToken, Integer maxResults) {}

  record GetInstancesHealthStatusRequest(
      String serviceId, List<String> instances, Integer maxResults, String nextToken) {}

  record UpdateInstanceCustomHealthStatusRequest(
      String serviceId, String instanceId, String status) {}

  record GetInstanceResponse(String resourceOwner, Instance instance) {}

  record ListInstancesResponse(String resourceOwner, List<Instance> instances, String nextToken) {}

  record GetInstancesHealthStatusResponse(Map<String, String> status, String nextToken) {}

  private final CloudMapBackend backend;

  InstanceOperations(CloudMapBackend backend) {
    this.backend = backend;
  }

  void register(Routes routes) {
    routes.add(
        "RegisterInstance",
        RegisterInstanceRequest.class,
        r ->
            new OperationResponse(
                backend.registerInstance(
                    new InstanceRegistration(
                        r.serviceId(), r.instanceId(), r.attributes(), r.creatorRequestId()))));
    routes.add(
        "DeregisterInstance",
        InstanceRequest.class,
        r -> new OperationResponse(backend.deregisterInstance(r.serviceId(), r.instanceId())));
    routes.add(
        "GetInstance",
        InstanceRequest.class,
        r ->
            new GetInstanceResponse(
                backend.accountId(), backend.instance(r.serviceId(), r.instanceId()).instance()));
    routes.add("ListInstances", ListInstancesRequest.class, this::list);
    routes.add("GetInstancesHealthStatus", GetInstancesHealthStatusRequest.class, this::health);
    routes.add(
        "UpdateInstanceCustomHealthStatus",
        UpdateInstanceCustomHealthStatusRequest.class,
        r -> {
          backend.updateCustomHealth(r.serviceId(), r.instanceId(), r.status());
          return new EmptyResponse();
        });
  }

  private ListInstancesResponse list(ListInstancesRequest r) {
    ServiceInstances service = backend.instances(r.serviceId());
    List<Instance> all = service.instances().stream().map(s -> s.instance().summary()).toList();
    Page<Instance> page =
        Page.of(
            all,
            Instance::id,
            r.maxResults(),
            r.nextToken(),
            "ListInstances " + service.serviceArn());
    return new ListInstancesResponse(backend.accountId(), page.items(), page.nextToken());
  }

  private GetInstancesHealthStatusResponse health(GetInstancesHealthStatusRequest r) {
    ServiceInstances service = backend.instances(r.serviceId());
    Map<String, InstanceState> byId =
        service.instances().stream()
            .collect(
                Collectors.toMap(
                    s -> s.instance().id(), Function.identity(), (a, b) -> a, LinkedHashMap::new));
    List<InstanceState> wanted;
    if (r.instances() == null) {
      wanted = List.copyOf(byId.values());
    } else {
      wanted =
          r.instances().stream()
              .distinct()
              .map(
                  id -> {
                    InstanceState state = byId.get(id);
                    if (state == null) {
                      throw new BackendException(
                          BackendFailure.INSTANCE_NOT_FOUND,
                          "Instance " + id + " is not registered in service " + r.serviceId());
                    }
                    return state;
                  })
              .toList();
    }
    Page<InstanceState> page =
        Page.of(
            wanted,
            s -> s.instance().id(),
            r.maxResults(),
            r.nextToken(),
            "GetInstancesHealthStatus " + service.serviceArn());
    Map<String, String> status = new LinkedHashMap<>();
    page.items().forEach(s -> status.put(s.instance().id(), s.healthStatus()));
    return new GetInstancesHealthStatusResponse(status, page.nextToken());
  }
}
