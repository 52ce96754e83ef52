package dev.cloudmapdns.server.registry;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.xbill.DNS.Address;

/**
 * Cloud Map's rules for what may be registered, in one place: name syntax, record combinations,
 * health settings and instance attributes. Every way into the registry (the API, the seed file,
 * Kubernetes) goes through these checks. Messages name the field and the rule.
 */
final class RegistryRules {
  private static final Pattern HTTP_NAMESPACE_NAME = Pattern.compile("(?!arn:)[!-~]{1,1024}");
  private static final Pattern DNS_LABEL =
      Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");

  /** NamespaceNamePublic: two or more labels, no underscores, no trailing dot, at most 253. */
  private static final Pattern PUBLIC_NAMESPACE_NAME =
      Pattern.compile(
          "(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+"
              + "[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");

  private static final Pattern SERVICE_NAME =
      Pattern.compile(
          "((?=^.{1,127}$)^([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9])"
              + "(\\.([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9]))*$)|(^\\.$)");
  private static final Pattern INSTANCE_ID = Pattern.compile("[0-9a-zA-Z_/:.@-]{1,64}");
  private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[a-zA-Z0-9!-~]{1,255}");
  private static final Pattern ATTRIBUTE_VALUE =
      Pattern.compile("([a-zA-Z0-9!-~][ \\ta-zA-Z0-9!-~]*)?[a-zA-Z0-9!-~]?");
  private static final int MAX_CUSTOM_ATTRIBUTES = 30;
  private static final int MAX_ATTRIBUTE_CHARS = 5000;
  private static final int MAX_ATTRIBUTE_VALUE = 1024;
  private static final int MAX_DESCRIPTION = 1024;
  private static final int MAX_RESOURCE_PATH = 255;
  private static final long MAX_TTL = 2_147_483_647L;

  /**
   * Refuses a change of {@code current} (an instance of {@code serviceId}, or null when there is
   * none) asked for by {@code by} when someone else registered it ({@link InstanceOwner}).
   */
  static void checkOwner(RegisteredInstance current, InstanceOwner by, String serviceId) {
    if (current == null || current.instance().owner() == by) {
      return;
    }
    Instance instance = current.instance();
    String message =
        switch (instance.owner()) {
          case KUBERNETES ->
              "Instance "
                  + instance.id()
                  + " of service "
                  + serviceId
                  + " is registered by the Kubernetes watcher for pod "
                  + instance.attributes().get("K8S_NAMESPACE")
                  + "/"
                  + instance.attributes().get("K8S_POD_NAME")
                  + "; it follows the pod, so change or delete the pod instead";
          case API ->
              "Instance "
                  + instance.id()
                  + " of service "
                  + serviceId
                  + " was registered through the API; the Kubernetes watcher leaves it alone";
        };
    throw new RegistryException(RegistryError.RESOURCE_IN_USE, message);
  }

  /** Cloud Map's quotas that the API enforces. */
  static final int MAX_TAGS = 50;

  static final int MAX_SERVICE_ATTRIBUTES = 30;
  static final int MAX_INSTANCES_PER_SERVICE = 1000;
  private static final Set<String> RESERVED_ATTRIBUTES =
      Set.of(
          Instance.IPV4,
          Instance.IPV6,
          Instance.PORT,
          Instance.CNAME,
          Instance.ALIAS_DNS_NAME,
          Instance.INIT_HEALTH_STATUS,
          Instance.EC2_INSTANCE_ID);
  private static final List<Set<RecordType>> RECORD_COMBINATIONS =
      List.of(
          Set.of(RecordType.A),
          Set.of(RecordType.AAAA),
          Set.of(RecordType.A, RecordType.AAAA),
          Set.of(RecordType.SRV),
          Set.of(RecordType.SRV, RecordType.A),
          Set.of(RecordType.SRV, RecordType.AAAA),
          Set.of(RecordType.SRV, RecordType.A, RecordType.AAAA),
          Set.of(RecordType.CNAME));

  private RegistryRules() {}

  static void checkNamespace(NamespaceSpec spec) {
    require(spec.name() != null, "Name is required");
    require(spec.type() != null, "Type is required");
    String name = spec.name();
    switch (spec.type()) {
      case HTTP ->
          require(
              HTTP_NAMESPACE_NAME.matcher(name).matches(),
              "Name '" + name + "' must be 1-1024 printable ASCII characters without spaces");
      case DNS_PRIVATE -> {
        require(isDnsName(name, DNS_LABEL), "Name '" + name + "' is not a valid DNS domain name");
        require(spec.vpc() != null && !spec.vpc().isBlank(), "Vpc is required");
      }
      case DNS_PUBLIC ->
          require(
              PUBLIC_NAMESPACE_NAME.matcher(name).matches(),
              "Name '" + name + "' is not a valid public DNS domain name");
    }
    checkDescription(spec.description());
    if (spec.soaTtl() != null) {
      checkTtl("SOA.TTL", spec.soaTtl());
    }
  }

  static void checkNamespaceChange(NamespacePatch change, Namespace namespace) {
    require(
        change.type() == namespace.type(),
        "Namespace "
            + namespace.id()
            + " is a "
            + namespace.type()
            + " namespace and cannot be updated as "
            + change.type());
    checkDescription(change.description());
    if (change.soaTtl() != null) {
      checkTtl("SOA.TTL", change.soaTtl());
    }
  }

  static void checkTags(String resource, int count) {
    if (count > MAX_TAGS) {
      throw new RegistryException(
          RegistryError.TOO_MANY_TAGS,
          resource + " would have " + count + " tags; at most " + MAX_TAGS + " are allowed");
    }
  }

  static void checkServiceAttributes(String serviceId, int count) {
    if (count > MAX_SERVICE_ATTRIBUTES) {
      throw new RegistryException(
          RegistryError.SERVICE_ATTRIBUTES_LIMIT_EXCEEDED,
          "Service "
              + serviceId
              + " would have "
              + count
              + " attributes; at most "
              + MAX_SERVICE_ATTRIBUTES
              + " are allowed");
    }
  }

  static void checkService(ServiceSpec spec, Namespace namespace) {
    require(spec.name() != null, "Name is required");
    require(
        SERVICE_NAME.matcher(spec.name()).matches(),
        "Name '" + spec.name() + "' is not a valid service name");
    checkDescription(spec.description());
    require(
        spec.healthCheckConfig() == null || spec.healthCheckCustomConfig() == null,
        "HealthCheckConfig and HealthCheckCustomConfig cannot both be specified");
    DnsConfig dns = spec.dnsConfig();
    if (dns != null) {
      require(
          namespace.type().isDns(),
          "DnsConfig is not allowed for a service in HTTP namespace " + namespace.id());
      checkDnsConfig(dns, spec.healthCheckConfig());
    }
    if (spec.healthCheckConfig() != null) {
      checkHealthCheck(spec.healthCheckConfig());
    }
    if (spec.healthCheckCustomConfig() != null) {
      checkThreshold(
          "HealthCheckCustomConfig.FailureThreshold",
          spec.healthCheckCustomConfig().failureThreshold());
    }
  }

  static void checkDnsConfig(DnsConfig dns, HealthCheckConfig healthCheck) {
    require(!dns.records().isEmpty(), "DnsConfig.DnsRecords must contain at least one record");
    Set<RecordType> types = dns.types();
    require(
        types.size() == dns.records().size(), "DnsConfig.DnsRecords must not repeat a record type");
    require(
        RECORD_COMBINATIONS.contains(types),
        "DnsConfig.DnsRecords "
            + types
            + " is not a supported combination"
            + " (A, AAAA, A+AAAA, SRV optionally with A and/or AAAA, or CNAME alone)");
    for (DnsRecord record : dns.records()) {
      checkTtl("DnsRecords.TTL", record.ttl());
    }
    if (types.contains(RecordType.CNAME)) {
      require(
          dns.routingPolicy() == RoutingPolicy.WEIGHTED,
          "a CNAME record requires RoutingPolicy WEIGHTED");
      require(healthCheck == null, "a CNAME record cannot be combined with HealthCheckConfig");
    }
  }

  private static void checkHealthCheck(HealthCheckConfig check) {
    checkThreshold("HealthCheckConfig.FailureThreshold", check.failureThreshold());
    if (check.type() == HealthCheckType.TCP) {
      require(
          check.resourcePath() == null,
          "HealthCheckConfig.ResourcePath must not be specified for TCP health checks");
    } else if (check.resourcePath() != null) {
      require(
          check.resourcePath().length() <= MAX_RESOURCE_PATH,
          "HealthCheckConfig.ResourcePath must be at most 255 characters");
      require(
          check.resourcePath().startsWith("/"),
          "HealthCheckConfig.ResourcePath must start with '/'");
    }
  }

  static void checkInstance(String instanceId, Map<String, String> attributes, Service service) {
    require(instanceId != null, "InstanceId is required");
    require(
        INSTANCE_ID.matcher(instanceId).matches(),
        "InstanceId '" + instanceId + "' must be 1-64 characters of [0-9a-zA-Z_/:.@-]");
    require(attributes != null, "Attributes is required");
    int chars = 0;
    int custom = 0;
    for (Map.Entry<String, String> attribute : attributes.entrySet()) {
      String key = attribute.getKey();
      String value = attribute.getValue();
      require(
          key != null && ATTRIBUTE_KEY.matcher(key).matches(),
          "Attributes key '" + key + "' must be 1-255 printable ASCII characters without spaces");
      require(value != null, "Attributes." + key + " must have a value");
      require(
          value.length() <= MAX_ATTRIBUTE_VALUE && ATTRIBUTE_VALUE.matcher(value).matches(),
          "Attributes."
              + key
              + " must be at most 1024 printable ASCII characters"
              + " and must not start with a space or tab");
      chars += key.length() + value.length();
      if (!RESERVED_ATTRIBUTES.contains(key)) {
        custom++;
      }
    }
    require(
        custom <= MAX_CUSTOM_ATTRIBUTES,
        "Attributes may hold at most 30 custom attributes, got " + custom);
    require(
        chars <= MAX_ATTRIBUTE_CHARS,
        "Attributes keys and values together must not exceed 5000 characters, got " + chars);
    checkReservedAttributes(attributes, service);
  }

  private static void checkReservedAttributes(Map<String, String> attributes, Service service) {
    String ipv4 = attributes.get(Instance.IPV4);
    String ipv6 = attributes.get(Instance.IPV6);
    String port = attributes.get(Instance.PORT);
    if (ipv4 != null) {
      require(
          Address.isDottedQuad(ipv4), "AWS_INSTANCE_IPV4 '" + ipv4 + "' is not an IPv4 address");
    }
    if (ipv6 != null) {
      require(
          ipv6.contains(":") && Address.toByteArray(ipv6, Address.IPv6) != null,
          "AWS_INSTANCE_IPV6 '" + ipv6 + "' is not an IPv6 address");
    }
    if (port != null) {
      require(isPort(port), "AWS_INSTANCE_PORT '" + port + "' is not a port number (1-65535)");
    }
    String init = attributes.get(Instance.INIT_HEALTH_STATUS);
    if (init != null) {
      require(
          service.healthCheckCustomConfig() != null,
          "AWS_INIT_HEALTH_STATUS is only allowed for services with HealthCheckCustomConfig");
      require(
          init.equals("HEALTHY") || init.equals("UNHEALTHY"),
          "AWS_INIT_HEALTH_STATUS must be HEALTHY or UNHEALTHY");
    }
    if (service.healthCheckConfig() != null) {
      require(port != null, "AWS_INSTANCE_PORT is required for a service with HealthCheckConfig");
    }
    DnsConfig dns = service.dnsConfig();
    if (dns == null) {
      return;
    }
    boolean alias = attributes.containsKey(Instance.ALIAS_DNS_NAME);
    if (alias) {
      require(
          dns.routingPolicy() == RoutingPolicy.WEIGHTED,
          "AWS_ALIAS_DNS_NAME requires a service with RoutingPolicy WEIGHTED");
      require(
          attributes.keySet().stream().noneMatch(k -> k.startsWith("AWS_INSTANCE_")),
          "AWS_ALIAS_DNS_NAME cannot be combined with AWS_INSTANCE_* attributes");
      return;
    }
    if (dns.has(RecordType.A)) {
      require(ipv4 != null, "AWS_INSTANCE_IPV4 is required: the service has an A record");
    }
    if (dns.has(RecordType.AAAA)) {
      require(ipv6 != null, "AWS_INSTANCE_IPV6 is required: the service has an AAAA record");
    }
    if (dns.has(RecordType.SRV)) {
      require(port != null, "AWS_INSTANCE_PORT is required: the service has an SRV record");
      require(
          ipv4 != null || ipv6 != null,
          "AWS_INSTANCE_IPV4 or AWS_INSTANCE_IPV6 is required: the service has an SRV record");
    }
    if (dns.has(RecordType.CNAME)) {
      String cname = attributes.get(Instance.CNAME);
      require(cname != null, "AWS_INSTANCE_CNAME is required: the service has a CNAME record");
      require(
          isDnsName(cname, DNS_LABEL),
          "AWS_INSTANCE_CNAME '" + cname + "' is not a valid domain name");
    }
  }

  private static boolean isPort(String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
      return false;
    }
    int port = Integer.parseInt(text);
    return port >= 1 && port <= 65_535;
  }

  private static boolean isDnsName(String name, Pattern label) {
    String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (trimmed.isEmpty() || trimmed.length() > 253) {
      return false;
    }
    for (String part : trimmed.split("\\.", -1)) {
      if (!label.matcher(part).matches()) {
        return false;
      }
    }
    return true;
  }

  private static void checkDescription(String description) {
    require(
        description == null || description.length() <= MAX_DESCRIPTION,
        "Description must be at most 1024 characters");
  }

  private static void checkTtl(String field, long ttl) {
    require(ttl >= 0 && ttl <= MAX_TTL, field + " must be between 0 and 2147483647, got " + ttl);
  }

  private static void checkThreshold(String field, int threshold) {
    require(
        threshold >= 1 && threshold <= 10, field + " must be between 1 and 10, got " + threshold);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw RegistryException.invalid(message);
    }
  }
}
