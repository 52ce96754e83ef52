package dev.cloudmapdns.server.api;

import dev.cloudmapdns.api.backend.InstanceState;
import dev.cloudmapdns.api.backend.ServiceInstances;
import dev.cloudmapdns.api.shapes.DnsProperties;
import dev.cloudmapdns.api.shapes.HttpProperties;
import dev.cloudmapdns.api.shapes.Instance;
import dev.cloudmapdns.api.shapes.Namespace;
import dev.cloudmapdns.api.shapes.NamespaceProperties;
import dev.cloudmapdns.api.shapes.Operation;
import dev.cloudmapdns.api.shapes.Service;
import dev.cloudmapdns.api.shapes.Soa;
import dev.cloudmapdns.server.registry.DnsConfig;
import dev.cloudmapdns.server.registry.DnsRecord;
import dev.cloudmapdns.server.registry.HealthCheckConfig;
import dev.cloudmapdns.server.registry.HealthCheckCustomConfig;
import dev.cloudmapdns.server.registry.HealthCheckType;
import dev.cloudmapdns.server.registry.RecordType;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.RoutingPolicy;
import dev.cloudmapdns.server.registry.ServiceEntry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Registry values to Cloud Map shapes and back, with Cloud Map's defaults made explicit so that
 * what a client wrote reads back the same: RoutingPolicy MULTIVALUE, ResourcePath "/" for HTTP(S)
 * checks, FailureThreshold 1.
 */
final class CloudMapShapes {
  private final String account;

  CloudMapShapes(String account) {
    this.account = account;
  }

  Namespace namespace(dev.cloudmapdns.server.registry.Namespace n, RegistryState state) {
    DnsProperties dns =
        n.type().isDns() ? new DnsProperties(hostedZoneId(n.id()), new Soa(n.soaTtl())) : null;
    return new Namespace(
        n.id(),
        n.arn(),
        account,
        n.name(),
        n.type().name(),
        n.description(),
        state.serviceCountIn(n.id()),
        new NamespaceProperties(dns, new HttpProperties(n.name())),
        n.createDate(),
        n.creatorRequestId());
  }

  /** A stable, Route 53-looking zone id derived from the namespace id. */
  private static String hostedZoneId(String namespaceId) {
    return "Z" + namespaceId.substring(namespaceId.indexOf('-') + 1).toUpperCase(Locale.ROOT);
  }

  Service service(ServiceEntry entry, RegistryState state) {
    var s = entry.service();
    DnsConfig dns = s.dnsConfig();
    dev.cloudmapdns.api.shapes.DnsConfig dnsShape =
        dns == null
            ? null
            : new dev.cloudmapdns.api.shapes.DnsConfig(
                s.namespaceId(),
                dns.routingPolicy().name(),
                dns.records().stream()
                    .map(r -> new dev.cloudmapdns.api.shapes.DnsRecord(r.type().name(), r.ttl()))
                    .toList());
    HealthCheckConfig check = s.healthCheckConfig();
    HealthCheckCustomConfig custom = s.healthCheckCustomConfig();
    return new Service(
        s.id(),
        s.arn(),
        account,
        s.name(),
        s.namespaceId(),
        s.description(),
        entry.instances().size(),
        dnsShape,
        dns == null ? "HTTP" : "DNS_HTTP",
        check == null
            ? null
            : new dev.cloudmapdns.api.shapes.HealthCheckConfig(
                check.type().name(), check.resourcePath(), check.failureThreshold()),
        custom == null
            ? null
            : new dev.cloudmapdns.api.shapes.HealthCheckCustomConfig(custom.failureThreshold()),
        s.createDate(),
        s.creatorRequestId(),
        account);
  }

  DnsConfig dnsConfig(dev.cloudmapdns.api.shapes.DnsConfig dns) {
    if (dns == null) {
      return null;
    }
    RoutingPolicy policy =
        dns.routingPolicy() == null
            ? RoutingPolicy.MULTIVALUE
            : RoutingPolicy.valueOf(dns.routingPolicy());
    return new DnsConfig(policy, records(dns.dnsRecords()));
  }

  List<DnsRecord> records(List<dev.cloudmapdns.api.shapes.DnsRecord> records) {
    return records.stream().map(r -> new DnsRecord(RecordType.valueOf(r.type()), r.ttl())).toList();
  }

  HealthCheckConfig healthCheck(dev.cloudmapdns.api.shapes.HealthCheckConfig check) {
    if (check == null) {
      return null;
    }
    HealthCheckType type = HealthCheckType.valueOf(check.type());
    String path = check.resourcePath();
    if (path == null && type != HealthCheckType.TCP) {
      path = "/";
    }
    int threshold =
        check.failureThreshold() == null
            ? HealthCheckConfig.DEFAULT_FAILURE_THRESHOLD
            : check.failureThreshold();
    return new HealthCheckConfig(type, path, threshold);
  }

  HealthCheckCustomConfig customHealth(dev.cloudmapdns.api.shapes.HealthCheckCustomConfig custom) {
    if (custom == null) {
      return null;
    }
    // Cloud Map ignores the deprecated threshold and always reports 1.
    return new HealthCheckCustomConfig(1);
  }

  InstanceState instance(RegisteredInstance registered) {
    var i = registered.instance();
    return new InstanceState(
        new Instance(i.id(), i.creatorRequestId(), new TreeMap<>(i.attributes()), account),
        registered.health().name());
  }

  ServiceInstances instances(ServiceEntry entry, RegistryState state) {
    var service = entry.service();
    String namespaceName =
        state.namespace(service.namespaceId()).map(n -> n.name()).orElse(service.namespaceId());
    return new ServiceInstances(
        namespaceName,
        service.name(),
        service.arn(),
        service.healthCheckConfig() != null || service.healthCheckCustomConfig() != null,
        entry.instances().values().stream().map(this::instance).toList(),
        entry.instancesRevision());
  }

  Operation operation(dev.cloudmapdns.server.registry.Operation o) {
    Map<String, String> targets = new TreeMap<>();
    o.targets().forEach((type, id) -> targets.put(type.name(), id));
    return new Operation(
        o.id(),
        account,
        o.type().name(),
        o.status().name(),
        null,
        null,
        o.createDate(),
        o.updateDate(),
        targets);
  }
}
