package dev.cloudmapdns.server.store;

import dev.cloudmapdns.server.registry.DnsConfig;
import dev.cloudmapdns.server.registry.HealthCheckConfig;
import dev.cloudmapdns.server.registry.HealthCheckCustomConfig;
import dev.cloudmapdns.server.registry.HealthCheckType;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.NamespaceType;
import dev.cloudmapdns.server.registry.Operation;
import dev.cloudmapdns.server.registry.OperationStatus;
import dev.cloudmapdns.server.registry.OperationType;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.RoutingPolicy;
import dev.cloudmapdns.server.registry.Service;
import dev.cloudmapdns.server.registry.ServiceEntry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Reads the whole database back as one {@link RegistryState}. Every table is read once in rowid
 * order, which is creation order; each service's instances are gathered into one map and wrapped
 * once, so 100,000 instances cost one scan and no per-instance copies.
 */
final class StateReader {
  private static final int DECODE_CHUNK = 4_096;

  private final Statement statement;
  private final Map<String, Long> revisions = new HashMap<>();

  private StateReader(Statement statement) {
    this.statement = statement;
  }

  static RegistryState read(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      return new StateReader(statement).read();
    }
  }

  private RegistryState read() throws SQLException {
    long version;
    try (ResultSet rows = statement.executeQuery("SELECT version FROM meta WHERE id = 1")) {
      version = rows.next() ? rows.getLong(1) : 0;
    }
    Map<String, Service> services = services();
    Map<String, Map<String, RegisteredInstance>> instances = instances();
    Map<String, ServiceEntry> entries = new LinkedHashMap<>();
    for (Service service : services.values()) {
      entries.put(
          service.id(),
          new ServiceEntry(
              service,
              instances.getOrDefault(service.id(), Map.of()),
              revisions.get(service.id())));
    }
    return RegistryState.restored(
        version,
        namespaces(),
        entries,
        keyValues("SELECT resource_id, key, value FROM tags ORDER BY rowid"),
        keyValues("SELECT service_id, key, value FROM service_attributes ORDER BY rowid"),
        operations());
  }

  private Map<String, Namespace> namespaces() throws SQLException {
    Map<String, Namespace> namespaces = new LinkedHashMap<>();
    try (ResultSet rows =
        statement.executeQuery(
            "SELECT id, arn, name, type, description, soa_ttl, vpc, creator_request_id,"
                + " create_date FROM namespaces ORDER BY rowid")) {
      while (rows.next()) {
        Namespace namespace =
            new Namespace(
                rows.getString(1),
                rows.getString(2),
                rows.getString(3),
                NamespaceType.valueOf(rows.getString(4)),
                rows.getString(5),
                rows.getLong(6),
                rows.getString(7),
                rows.getString(8),
                IsoInstants.parse(rows.getString(9)));
        namespaces.put(namespace.id(), namespace);
      }
    }
    return namespaces;
  }

  private Map<String, Service> services() throws SQLException {
    Map<String, Service> services = new LinkedHashMap<>();
    try (ResultSet rows =
        statement.executeQuery(
            "SELECT id, arn, name, namespace_id, description, routing_policy, dns_records,"
                + " health_check_type, health_check_resource_path,"
                + " health_check_failure_threshold, custom_health_failure_threshold,"
                + " creator_request_id, create_date, instances_revision"
                + " FROM services ORDER BY rowid")) {
      while (rows.next()) {
        String routing = rows.getString(6);
        DnsConfig dns =
            routing == null
                ? null
                : new DnsConfig(
                    RoutingPolicy.valueOf(routing), JsonColumns.records(rows.getString(7)));
        String checkType = rows.getString(8);
        HealthCheckConfig check =
            checkType == null
                ? null
                : new HealthCheckConfig(
                    HealthCheckType.valueOf(checkType), rows.getString(9), rows.getInt(10));
        int customThreshold = rows.getInt(11);
        HealthCheckCustomConfig custom =
            rows.wasNull() ? null : new HealthCheckCustomConfig(customThreshold);
        Service service =
            new Service(
                rows.getString(1),
                rows.getString(2),
                rows.getString(3),
                rows.getString(4),
                rows.getString(5),
                dns,
                check,
                custom,
                rows.getString(12),
                IsoInstants.parse(rows.getString(13)));
        services.put(service.id(), service);
        revisions.put(service.id(), rows.getLong(14));
      }
    }
    return services;
  }

  /**
   * The instances, by service. Rows are fetched first, one JSON column each, then decoded in
   * parallel chunks (decoding is most of the cost while the JVM is cold) and gathered in order.
   */
  private Map<String, Map<String, RegisteredInstance>> instances() throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet result =
        statement.executeQuery(
            "SELECT json_array(service_id, id, json(attributes), creator_request_id,"
                + " registered_at, health, owner) FROM instances ORDER BY rowid")) {
      while (result.next()) {
        rows.add(result.getString(1));
      }
    }
    JsonColumns.InstanceRow[] decoded = new JsonColumns.InstanceRow[rows.size()];
    int chunks = (rows.size() + DECODE_CHUNK - 1) / DECODE_CHUNK;
    IntStream.range(0, chunks)
        .parallel()
        .forEach(
            chunk -> {
              int end = Math.min(rows.size(), (chunk + 1) * DECODE_CHUNK);
              for (int i = chunk * DECODE_CHUNK; i < end; i++) {
                decoded[i] = JsonColumns.instanceRow(rows.get(i));
              }
            });
    Map<String, Map<String, RegisteredInstance>> byService = new HashMap<>();
    for (JsonColumns.InstanceRow row : decoded) {
      byService
          .computeIfAbsent(row.serviceId(), id -> new LinkedHashMap<>())
          .put(row.instance().instance().id(), row.instance());
    }
    return byService;
  }

  /** Rows of (owner, key, value) as one ordered map per owner. */
  private Map<String, Map<String, String>> keyValues(String query) throws SQLException {
    Map<String, Map<String, String>> byOwner = new LinkedHashMap<>();
    try (ResultSet rows = statement.executeQuery(query)) {
      while (rows.next()) {
        byOwner
            .computeIfAbsent(rows.getString(1), id -> new LinkedHashMap<>())
            .put(rows.getString(2), rows.getString(3));
      }
    }
    return byOwner;
  }

  private Map<String, Operation> operations() throws SQLException {
    Map<String, Operation> operations = new LinkedHashMap<>();
    try (ResultSet rows =
        statement.executeQuery(
            "SELECT id, type, status, targets, create_date, update_date, request_id, region"
                + " FROM operations ORDER BY seq")) {
      while (rows.next()) {
        Operation operation =
            new Operation(
                rows.getString(1),
                OperationType.valueOf(rows.getString(2)),
                OperationStatus.valueOf(rows.getString(3)),
                JsonColumns.targets(rows.getString(4)),
                IsoInstants.parse(rows.getString(5)),
                IsoInstants.parse(rows.getString(6)),
                rows.getString(7),
                rows.getString(8));
        operations.put(operation.id(), operation);
      }
    }
    return operations;
  }
}
