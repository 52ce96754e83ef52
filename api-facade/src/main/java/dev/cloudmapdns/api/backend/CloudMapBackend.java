package dev.cloudmapdns.api.backend;

import dev.cloudmapdns.api.shapes.Namespace;
import dev.cloudmapdns.api.shapes.Operation;
import dev.cloudmapdns.api.shapes.Service;
import dev.cloudmapdns.api.shapes.ServiceAttributes;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What the API needs from the registry, one method per capability. Inputs have passed the API
 * model's wire checks; the backend applies the domain rules and refuses with a {@link
 * BackendException}. Every {@code id} parameter accepts an id or an ARN. Methods that stand for
 * Cloud Map's asynchronous operations return the operation id. Lists come back whole; the facade
 * filters and pages them. Resources are regional: a backend sees and creates those of its region.
 */
public interface CloudMapBackend {
  /** The same backend for requests signed for {@code region}. */
  CloudMapBackend inRegion(String region);

  String createNamespace(NamespaceCreation creation);

  String updateNamespace(String id, NamespaceUpdate update);

  String deleteNamespace(String id);

  Namespace namespace(String id);

  List<Namespace> namespaces();

  Service createService(ServiceCreation creation);

  String updateService(String id, ServiceUpdate update);

  void deleteService(String id);

  Service service(String id);

  List<Service> services();

  ServiceAttributes serviceAttributes(String serviceId);

  void updateServiceAttributes(String serviceId, Map<String, String> attributes);

  void deleteServiceAttributes(String serviceId, Collection<String> keys);

  String registerInstance(InstanceRegistration registration);

  String deregisterInstance(String serviceId, String instanceId);

  InstanceState instance(String serviceId, String instanceId);

  ServiceInstances instances(String serviceId);

  /** The instances of the service named so in the namespace whose HTTP name is given. */
  ServiceInstances discover(String namespaceName, String serviceName);

  void updateCustomHealth(String serviceId, String instanceId, String status);

  Operation operation(String operationId);

  List<Operation> operations();

  Map<String, String> tags(String resourceArn);

  void tagResource(String resourceArn, Map<String, String> tags);

  void untagResource(String resourceArn, Collection<String> keys);

  /** The account that owns every resource, for ResourceOwner fields. */
  String accountId();
}
