package dev.cloudmapdns.server.seed;

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
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The declarative registry file given with {@code --seed}: namespaces, their services and
 * instances, in the Cloud Map API's vocabulary. Parsing only checks the file's shape; the
 * registry's own rules check the content when the seed is applied.
 */
public final class SeedFile {
  /** The seed's default private-namespace VPC, as the KECS walkthrough uses it. */
  static final String DEFAULT_VPC = "vpc-default";

  private static final Set<String> TOP_KEYS = Set.of("namespaces");
  private static final Set<String> NAMESPACE_KEYS =
      Set.of("name", "type", "description", "soaTtl", "vpc", "services");
  private static final Set<String> SERVICE_KEYS =
      Set.of(
          "name",
          "description",
          "routingPolicy",
          "dnsRecords",
          "healthCheckConfig",
          "healthCheckCustomConfig",
          "instances");
  private static final Set<String> RECORD_KEYS = Set.of("type", "ttl");
  private static final Set<String> HEALTH_CHECK_KEYS =
      Set.of("type", "resourcePath", "failureThreshold");
  private static final Set<String> CUSTOM_HEALTH_KEYS = Set.of("failureThreshold");
  private static final Set<String> INSTANCE_KEYS = Set.of("id", "attributes");

  private SeedFile() {}

  /** A namespace to create, with the line it starts on. */
  public record SeedNamespace(int line, NamespaceSpec spec, List<SeedService> services) {}

  /** A service to create; its spec's namespace id is filled in when the namespace exists. */
  public record SeedService(int line, ServiceSpec spec, List<SeedInstance> instances) {}

  /** An instance to register. */
  public record SeedInstance(int line, String id, Map<String, String> attributes) {}

  /** Parses {@code file}, failing with the file, line and problem. */
  public static List<SeedNamespace> read(Path file) {
    String name = file.toString();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(name, reader);
    } catch (IOException e) {
      throw new SeedException(name + ": cannot read the seed file: " + e.getMessage());
    }
  }

  /**
   * SnakeYAML's defaults guard against untrusted documents (at most 3 MiB of code points); a seed
   * is the operator's own file, so only memory limits its size (100,000 instances are about 9 MB).
   * Aliases stay limited: a seed needs none, and they are what makes small documents explode.
   */
  private static LoaderOptions options() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(Integer.MAX_VALUE);
    return options;
  }

  static List<SeedNamespace> parse(String fileName, Reader reader) {
    Node root;
    try {
      root = new Yaml(options()).compose(reader);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new SeedException(fileName + ":" + line + ": not valid YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw new SeedException(fileName + ": not valid YAML: " + e.getMessage());
    }
    if (root == null || Tag.NULL.equals(root.getTag())) {
      // No document, or an empty one ("---" alone): nothing to load.
      return List.of();
    }
    YamlMapping top =
        YamlMapping.of(fileName, root, "the seed file").allowOnly("the seed file", TOP_KEYS);
    List<SeedNamespace> namespaces = new ArrayList<>();
    for (YamlMapping item : top.mappings("namespaces", "a namespace")) {
      namespaces.add(namespace(item.allowOnly("a namespace", NAMESPACE_KEYS)));
    }
    return namespaces;
  }

  private static SeedNamespace namespace(YamlMapping item) {
    NamespaceType type = item.optionalEnum("type", NamespaceType.class, NamespaceType.DNS_PRIVATE);
    String vpc = item.optionalString("vpc");
    if (vpc == null && type == NamespaceType.DNS_PRIVATE) {
      vpc = DEFAULT_VPC;
    }
    NamespaceSpec spec =
        new NamespaceSpec(
            item.requiredString("name"),
            type,
            item.optionalString("description"),
            item.optionalLong("soaTtl"),
            vpc,
            null);
    List<SeedService> services = new ArrayList<>();
    for (YamlMapping service : item.mappings("services", "a service")) {
      services.add(service(service.allowOnly("a service", SERVICE_KEYS)));
    }
    return new SeedNamespace(item.line(), spec, services);
  }

  private static SeedService service(YamlMapping item) {
    List<DnsRecord> records = new ArrayList<>();
    for (YamlMapping record : item.mappings("dnsRecords", "a DNS record")) {
      record.allowOnly("a DNS record", RECORD_KEYS);
      RecordType type = record.optionalEnum("type", RecordType.class, null);
      Long ttl = record.optionalLong("ttl");
      if (type == null) {
        throw record.error("missing required key 'type'");
      }
      records.add(new DnsRecord(type, ttl == null ? 60 : ttl));
    }
    RoutingPolicy routing =
        item.optionalEnum("routingPolicy", RoutingPolicy.class, RoutingPolicy.MULTIVALUE);
    DnsConfig dns = records.isEmpty() ? null : new DnsConfig(routing, records);
    ServiceSpec spec =
        new ServiceSpec(
            item.requiredString("name"),
            null,
            item.optionalString("description"),
            dns,
            healthCheck(item.optionalMapping("healthCheckConfig", "healthCheckConfig")),
            customHealth(
                item.optionalMapping("healthCheckCustomConfig", "healthCheckCustomConfig")),
            null);
    List<SeedInstance> instances = new ArrayList<>();
    for (YamlMapping instance : item.mappings("instances", "an instance")) {
      instance.allowOnly("an instance", INSTANCE_KEYS);
      instances.add(
          new SeedInstance(
              instance.line(), instance.requiredString("id"), instance.stringMap("attributes")));
    }
    return new SeedService(item.line(), spec, instances);
  }

  private static HealthCheckConfig healthCheck(YamlMapping item) {
    if (item == null) {
      return null;
    }
    item.allowOnly("healthCheckConfig", HEALTH_CHECK_KEYS);
    HealthCheckType type = item.optionalEnum("type", HealthCheckType.class, null);
    if (type == null) {
      throw item.error("missing required key 'type'");
    }
    String path = item.optionalString("resourcePath");
    if (path == null && type != HealthCheckType.TCP) {
      path = "/";
    }
    return new HealthCheckConfig(type, path, threshold(item));
  }

  private static HealthCheckCustomConfig customHealth(YamlMapping item) {
    if (item == null) {
      return null;
    }
    item.allowOnly("healthCheckCustomConfig", CUSTOM_HEALTH_KEYS);
    return new HealthCheckCustomConfig(threshold(item));
  }

  private static int threshold(YamlMapping item) {
    Long threshold = item.optionalLong("failureThreshold");
    if (threshold == null) {
      return HealthCheckConfig.DEFAULT_FAILURE_THRESHOLD;
    }
    if (threshold < 1 || threshold > 10) {
      throw item.error(
          "failureThreshold", "'failureThreshold' must be between 1 and 10, got " + threshold);
    }
    return threshold.intValue();
  }
}
