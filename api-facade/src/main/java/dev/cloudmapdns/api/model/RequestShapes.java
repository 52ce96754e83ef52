package dev.cloudmapdns.api.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The request side of the Cloud Map API, version 2017-03-14: each operation's input shape and the
 * wire constraints of every shape a request can hold (members, required members, lengths, ranges,
 * patterns, enums, list and map sizes). These are the interface's facts as AWS publishes them in
 * its API model and documentation; keep them in step with the model when AWS changes the API. They
 * are laid out in the model's own terms (shape, structure, member, required, min, max, pattern,
 * enum) so that {@link ShapeValidator} can walk them generically.
 */
final class RequestShapes {
  static final String TARGET_PREFIX = "Route53AutoNaming_v20170314";

  private final ObjectNode operations = JsonNodeFactory.instance.objectNode();
  private final ObjectNode shapes = JsonNodeFactory.instance.objectNode();

  private RequestShapes() {
    operation("CreateHttpNamespace", "CreateHttpNamespaceRequest");
    operation("CreatePrivateDnsNamespace", "CreatePrivateDnsNamespaceRequest");
    operation("CreatePublicDnsNamespace", "CreatePublicDnsNamespaceRequest");
    operation("CreateService", "CreateServiceRequest");
    operation("DeleteNamespace", "DeleteNamespaceRequest");
    operation("DeleteService", "DeleteServiceRequest");
    operation("DeleteServiceAttributes", "DeleteServiceAttributesRequest");
    operation("DeregisterInstance", "DeregisterInstanceRequest");
    operation("DiscoverInstances", "DiscoverInstancesRequest");
    operation("DiscoverInstancesRevision", "DiscoverInstancesRevisionRequest");
    operation("GetInstance", "GetInstanceRequest");
    operation("GetInstancesHealthStatus", "GetInstancesHealthStatusRequest");
    operation("GetNamespace", "GetNamespaceRequest");
    operation("GetOperation", "GetOperationRequest");
    operation("GetService", "GetServiceRequest");
    operation("GetServiceAttributes", "GetServiceAttributesRequest");
    operation("ListInstances", "ListInstancesRequest");
    operation("ListNamespaces", "ListNamespacesRequest");
    operation("ListOperations", "ListOperationsRequest");
    operation("ListServices", "ListServicesRequest");
    operation("ListTagsForResource", "ListTagsForResourceRequest");
    operation("RegisterInstance", "RegisterInstanceRequest");
    operation("TagResource", "TagResourceRequest");
    operation("UntagResource", "UntagResourceRequest");
    operation("UpdateHttpNamespace", "UpdateHttpNamespaceRequest");
    operation("UpdateInstanceCustomHealthStatus", "UpdateInstanceCustomHealthStatusRequest");
    operation("UpdatePrivateDnsNamespace", "UpdatePrivateDnsNamespaceRequest");
    operation("UpdatePublicDnsNamespace", "UpdatePublicDnsNamespaceRequest");
    operation("UpdateService", "UpdateServiceRequest");
    operation("UpdateServiceAttributes", "UpdateServiceAttributesRequest");

    shape("AWSAccountId", "string").min(12).max(12);
    shape("AmazonResourceName", "string").min(1).max(1011);
    shape("Arn", "string").max(255);
    shape("AttrKey", "string").max(255).pattern("^[a-zA-Z0-9!-~]+$");
    shape("AttrValue", "string")
        .max(1024)
        .pattern("^([a-zA-Z0-9!-~][ \\ta-zA-Z0-9!-~]*){0,1}[a-zA-Z0-9!-~]{0,1}$");
    shape("Attributes", "map").key("AttrKey").value("AttrValue");
    shape("CreateHttpNamespaceRequest", "structure")
        .member("CreatorRequestId", "ResourceId")
        .member("Description", "ResourceDescription")
        .member("Name", "NamespaceNameHttp")
        .member("Tags", "TagList")
        .required("Name");
    shape("CreatePrivateDnsNamespaceRequest", "structure")
        .member("CreatorRequestId", "ResourceId")
        .member("Description", "ResourceDescription")
        .member("Name", "NamespaceNamePrivate")
        .member("Properties", "PrivateDnsNamespaceProperties")
        .member("Tags", "TagList")
        .member("Vpc", "ResourceId")
        .required("Name", "Vpc");
    shape("CreatePublicDnsNamespaceRequest", "structure")
        .member("CreatorRequestId", "ResourceId")
        .member("Description", "ResourceDescription")
        .member("Name", "NamespaceNamePublic")
        .member("Properties", "PublicDnsNamespaceProperties")
        .member("Tags", "TagList")
        .required("Name");
    shape("CreateServiceRequest", "structure")
        .member("CreatorRequestId", "ResourceId")
        .member("Description", "ResourceDescription")
        .member("DnsConfig", "DnsConfig")
        .member("HealthCheckConfig", "HealthCheckConfig")
        .member("HealthCheckCustomConfig", "HealthCheckCustomConfig")
        .member("Name", "ServiceName")
        .member("NamespaceId", "Arn")
        .member("Tags", "TagList")
        .member("Type", "ServiceTypeOption")
        .required("Name");
    shape("CustomHealthStatus", "string").oneOf("HEALTHY", "UNHEALTHY");
    shape("DeleteNamespaceRequest", "structure").member("Id", "Arn").required("Id");
    shape("DeleteServiceAttributesRequest", "structure")
        .member("Attributes", "ServiceAttributeKeyList")
        .member("ServiceId", "Arn")
        .required("ServiceId", "Attributes");
    shape("DeleteServiceRequest", "structure").member("Id", "Arn").required("Id");
    shape("DeregisterInstanceRequest", "structure")
        .member("InstanceId", "ResourceId")
        .member("ServiceId", "Arn")
        .required("ServiceId", "InstanceId");
    shape("DiscoverInstancesRequest", "structure")
        .member("HealthStatus", "HealthStatusFilter")
        .member("MaxResults", "DiscoverMaxResults")
        .member("NamespaceName", "NamespaceName")
        .member("OptionalParameters", "Attributes")
        .member("OwnerAccount", "AWSAccountId")
        .member("QueryParameters", "Attributes")
        .member("ServiceName", "ServiceName")
        .required("NamespaceName", "ServiceName");
    shape("DiscoverInstancesRevisionRequest", "structure")
        .member("NamespaceName", "NamespaceName")
        .member("OwnerAccount", "AWSAccountId")
        .member("ServiceName", "ServiceName")
        .required("NamespaceName", "ServiceName");
    shape("DiscoverMaxResults", "integer").min(1).max(1000);
    shape("DnsConfig", "structure")
        .member("DnsRecords", "DnsRecordList")
        .member("NamespaceId", "ResourceId")
        .member("RoutingPolicy", "RoutingPolicy")
        .required("DnsRecords");
    shape("DnsConfigChange", "structure")
        .member("DnsRecords", "DnsRecordList")
        .required("DnsRecords");
    shape("DnsRecord", "structure")
        .member("TTL", "RecordTTL")
        .member("Type", "RecordType")
        .required("Type", "TTL");
    shape("DnsRecordList", "list").element("DnsRecord");
    shape("FailureThreshold", "integer").min(1).max(10);
    shape("FilterCondition", "string").oneOf("EQ", "IN", "BETWEEN", "BEGINS_WITH");
    shape("FilterValue", "string").min(1).max(255);
    shape("FilterValues", "list").element("FilterValue");
    shape("GetInstanceRequest", "structure")
        .member("InstanceId", "ResourceId")
        .member("ServiceId", "Arn")
        .required("ServiceId", "InstanceId");
    shape("GetInstancesHealthStatusRequest", "structure")
        .member("Instances", "InstanceIdList")
        .member("MaxResults", "MaxResults")
        .member("NextToken", "NextToken")
        .member("ServiceId", "Arn")
        .required("ServiceId");
    shape("GetNamespaceRequest", "structure").member("Id", "Arn").required("Id");
    shape("GetOperationRequest", "structure")
        .member("OperationId", "OperationId")
        .member("OwnerAccount", "AWSAccountId")
        .required("OperationId");
    shape("GetServiceAttributesRequest", "structure")
        .member("ServiceId", "Arn")
        .required("ServiceId");
    shape("GetServiceRequest", "structure").member("Id", "Arn").required("Id");
    shape("HealthCheckConfig", "structure")
        .member("FailureThreshold", "FailureThreshold")
        .member("ResourcePath", "ResourcePath")
        .member("Type", "HealthCheckType")
        .required("Type");
    shape("HealthCheckCustomConfig", "structure").member("FailureThreshold", "FailureThreshold");
    shape("HealthCheckType", "string").oneOf("HTTP", "HTTPS", "TCP");
    shape("HealthStatusFilter", "string")
        .oneOf("HEALTHY", "UNHEALTHY", "ALL", "HEALTHY_OR_ELSE_ALL");
    shape("HttpNamespaceChange", "structure")
        .member("Description", "ResourceDescription")
        .required("Description");
    shape("InstanceId", "string").max(64).pattern("^[0-9a-zA-Z_/:.@-]+$");
    shape("InstanceIdList", "list").element("ResourceId").min(1);
    shape("ListInstancesRequest", "structure")
        .member("MaxResults", "MaxResults")
        .member("NextToken", "NextToken")
        .member("ServiceId", "Arn")
        .required("ServiceId");
    shape("ListNamespacesRequest", "structure")
        .member("Filters", "NamespaceFilters")
        .member("MaxResults", "MaxResults")
        .member("NextToken", "NextToken");
    shape("ListOperationsRequest", "structure")
        .member("Filters", "OperationFilters")
        .member("MaxResults", "MaxResults")
        .member("NextToken", "NextToken");
    shape("ListServicesRequest", "structure")
        .member("Filters", "ServiceFilters")
        .member("MaxResults", "MaxResults")
        .member("NextToken", "NextToken");
    shape("ListTagsForResourceRequest", "structure")
        .member("ResourceARN", "AmazonResourceName")
        .required("ResourceARN");
    shape("MaxResults", "integer").min(1).max(100);
    shape("NamespaceFilter", "structure")
        .member("Condition", "FilterCondition")
        .member("Name", "NamespaceFilterName")
        .member("Values", "FilterValues")
        .required("Name", "Values");
    shape("NamespaceFilterName", "string").oneOf("TYPE", "NAME", "HTTP_NAME", "RESOURCE_OWNER");
    shape("NamespaceFilters", "list").element("NamespaceFilter");
    shape("NamespaceName", "string").max(1024).pattern("^[!-~]{1,1024}$");
    shape("NamespaceNameHttp", "string").max(1024).pattern("^(?!arn:)[!-~]{1,1024}$");
    shape("NamespaceNamePrivate", "string").max(253).pattern("^(?!arn:)[!-~]{1,253}$");
    shape("NamespaceNamePublic", "string")
        .max(253)
        .pattern(
            "^([a-zA-Z0-9]([a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z0-9]([a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9])?$");
    shape("NextToken", "string").max(4096);
    shape("OperationFilter", "structure")
        .member("Condition", "FilterCondition")
        .member("Name", "OperationFilterName")
        .member("Values", "FilterValues")
        .required("Name", "Values");
    shape("OperationFilterName", "string")
        .oneOf("NAMESPACE_ID", "SERVICE_ID", "STATUS", "TYPE", "UPDATE_DATE");
    shape("OperationFilters", "list").element("OperationFilter");
    shape("OperationId", "string").max(255);
    shape("PrivateDnsNamespaceChange", "structure")
        .member("Description", "ResourceDescription")
        .member("Properties", "PrivateDnsNamespacePropertiesChange");
    shape("PrivateDnsNamespaceProperties", "structure")
        .member("DnsProperties", "PrivateDnsPropertiesMutable")
        .required("DnsProperties");
    shape("PrivateDnsNamespacePropertiesChange", "structure")
        .member("DnsProperties", "PrivateDnsPropertiesMutableChange")
        .required("DnsProperties");
    shape("PrivateDnsPropertiesMutable", "structure").member("SOA", "SOA").required("SOA");
    shape("PrivateDnsPropertiesMutableChange", "structure")
        .member("SOA", "SOAChange")
        .required("SOA");
    shape("PublicDnsNamespaceChange", "structure")
        .member("Description", "ResourceDescription")
        .member("Properties", "PublicDnsNamespacePropertiesChange");
    shape("PublicDnsNamespaceProperties", "structure")
        .member("DnsProperties", "PublicDnsPropertiesMutable")
        .required("DnsProperties");
    shape("PublicDnsNamespacePropertiesChange", "structure")
        .member("DnsProperties", "PublicDnsPropertiesMutableChange")
        .required("DnsProperties");
    shape("PublicDnsPropertiesMutable", "structure").member("SOA", "SOA").required("SOA");
    shape("PublicDnsPropertiesMutableChange", "structure")
        .member("SOA", "SOAChange")
        .required("SOA");
    shape("RecordTTL", "long").min(0).max(2147483647);
    shape("RecordType", "string").oneOf("SRV", "A", "AAAA", "CNAME");
    shape("RegisterInstanceRequest", "structure")
        .member("Attributes", "Attributes")
        .member("CreatorRequestId", "ResourceId")
        .member("InstanceId", "InstanceId")
        .member("ServiceId", "Arn")
        .required("ServiceId", "InstanceId", "Attributes");
    shape("ResourceDescription", "string").max(1024);
    shape("ResourceId", "string").max(64);
    shape("ResourcePath", "string").max(255);
    shape("RoutingPolicy", "string").oneOf("MULTIVALUE", "WEIGHTED");
    shape("SOA", "structure").member("TTL", "RecordTTL").required("TTL");
    shape("SOAChange", "structure").member("TTL", "RecordTTL").required("TTL");
    shape("ServiceAttributeKey", "string").max(255);
    shape("ServiceAttributeKeyList", "list").element("ServiceAttributeKey").min(1).max(30);
    shape("ServiceAttributeValue", "string").max(1024);
    shape("ServiceAttributesMap", "map")
        .key("ServiceAttributeKey")
        .value("ServiceAttributeValue")
        .min(1)
        .max(30);
    shape("ServiceChange", "structure")
        .member("Description", "ResourceDescription")
        .member("DnsConfig", "DnsConfigChange")
        .member("HealthCheckConfig", "HealthCheckConfig");
    shape("ServiceFilter", "structure")
        .member("Condition", "FilterCondition")
        .member("Name", "ServiceFilterName")
        .member("Values", "FilterValues")
        .required("Name", "Values");
    shape("ServiceFilterName", "string").oneOf("NAMESPACE_ID", "RESOURCE_OWNER");
    shape("ServiceFilters", "list").element("ServiceFilter");
    shape("ServiceName", "string")
        .pattern(
            "((?=^.{1,127}$)^([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9])(\\.([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9]))*$)|(^\\.$)");
    shape("ServiceTypeOption", "string").oneOf("HTTP");
    shape("Tag", "structure")
        .member("Key", "TagKey")
        .member("Value", "TagValue")
        .required("Key", "Value");
    shape("TagKey", "string").min(1).max(128);
    shape("TagKeyList", "list").element("TagKey").min(0).max(200);
    shape("TagList", "list").element("Tag").min(0).max(200);
    shape("TagResourceRequest", "structure")
        .member("ResourceARN", "AmazonResourceName")
        .member("Tags", "TagList")
        .required("ResourceARN", "Tags");
    shape("TagValue", "string").min(0).max(256);
    shape("UntagResourceRequest", "structure")
        .member("ResourceARN", "AmazonResourceName")
        .member("TagKeys", "TagKeyList")
        .required("ResourceARN", "TagKeys");
    shape("UpdateHttpNamespaceRequest", "structure")
        .member("Id", "Arn")
        .member("Namespace", "HttpNamespaceChange")
        .member("UpdaterRequestId", "ResourceId")
        .required("Id", "Namespace");
    shape("UpdateInstanceCustomHealthStatusRequest", "structure")
        .member("InstanceId", "ResourceId")
        .member("ServiceId", "Arn")
        .member("Status", "CustomHealthStatus")
        .required("ServiceId", "InstanceId", "Status");
    shape("UpdatePrivateDnsNamespaceRequest", "structure")
        .member("Id", "Arn")
        .member("Namespace", "PrivateDnsNamespaceChange")
        .member("UpdaterRequestId", "ResourceId")
        .required("Id", "Namespace");
    shape("UpdatePublicDnsNamespaceRequest", "structure")
        .member("Id", "Arn")
        .member("Namespace", "PublicDnsNamespaceChange")
        .member("UpdaterRequestId", "ResourceId")
        .required("Id", "Namespace");
    shape("UpdateServiceAttributesRequest", "structure")
        .member("Attributes", "ServiceAttributesMap")
        .member("ServiceId", "Arn")
        .required("ServiceId", "Attributes");
    shape("UpdateServiceRequest", "structure")
        .member("Id", "Arn")
        .member("Service", "ServiceChange")
        .required("Id", "Service");
  }

  /** The declarations as a tree: {@code operations} (name to input shape) and {@code shapes}. */
  static ObjectNode tree() {
    RequestShapes declared = new RequestShapes();
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.putObject("metadata").put("targetPrefix", TARGET_PREFIX);
    root.set("operations", declared.operations);
    root.set("shapes", declared.shapes);
    return root;
  }

  private void operation(String name, String inputShape) {
    operations.putObject(name).put("input", inputShape);
  }

  private Shape shape(String name, String type) {
    ObjectNode node = shapes.putObject(name);
    node.put("type", type);
    return new Shape(node);
  }

  /** One shape's declaration, built fluently. */
  private record Shape(ObjectNode node) {
    Shape member(String name, String shape) {
      ObjectNode members =
          node.has("members") ? (ObjectNode) node.get("members") : node.putObject("members");
      members.putObject(name).put("shape", shape);
      return this;
    }

    Shape required(String... names) {
      ArrayNode required = node.putArray("required");
      for (String name : names) {
        required.add(name);
      }
      return this;
    }

    Shape element(String shape) {
      node.putObject("member").put("shape", shape);
      return this;
    }

    Shape key(String shape) {
      node.putObject("key").put("shape", shape);
      return this;
    }

    Shape value(String shape) {
      node.putObject("value").put("shape", shape);
      return this;
    }

    Shape min(long min) {
      node.put("min", min);
      return this;
    }

    Shape max(long max) {
      node.put("max", max);
      return this;
    }

    Shape pattern(String pattern) {
      node.put("pattern", pattern);
      return this;
    }

    Shape oneOf(String... values) {
      ArrayNode allowed = node.putArray("enum");
      for (String value : values) {
        allowed.add(value);
      }
      return this;
    }
  }
}
