package dev.cloudmapdns.server.store;

import dev.cloudmapdns.server.registry.DeltaSet;
import dev.cloudmapdns.server.registry.DnsConfig;
import dev.cloudmapdns.server.registry.HealthCheckConfig;
import dev.cloudmapdns.server.registry.HealthCheckCustomConfig;
import dev.cloudmapdns.server.registry.Instance;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.Operation;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.Service;
import dev.cloudmapdns.server.registry.StateDelta;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns changes into SQL on one connection, inside the caller's transaction. Statements are
 * prepared once. Puts are upserts, which keep a row's rowid and so its place in creation order, as
 * a {@code LinkedHashMap} keeps a replaced key's place.
 */
final class DeltaWriter implements AutoCloseable {
  private final List<PreparedStatement> all = new ArrayList<>();
  private final PreparedStatement putNamespace;
  private final PreparedStatement removeNamespace;
  private final PreparedStatement putService;
  private final PreparedStatement removeService;
  private final PreparedStatement putInstance;
  private final PreparedStatement removeInstance;
  private final PreparedStatement setRevision;
  private final PreparedStatement setHealth;
  private final PreparedStatement removeTags;
  private final PreparedStatement addTag;
  private final PreparedStatement removeServiceAttributes;
  private final PreparedStatement addServiceAttribute;
  private final PreparedStatement addOperation;
  private final PreparedStatement trimOperations;
  private final PreparedStatement setVersion;

  DeltaWriter(Connection connection) throws SQLException {
    putNamespace =
        prepare(
            connection,
            "INSERT INTO namespaces (id, arn, name, type, description, soa_ttl, vpc,"
                + " creator_request_id, create_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET arn = excluded.arn, name = excluded.name,"
                + " type = excluded.type, description = excluded.description,"
                + " soa_ttl = excluded.soa_ttl, vpc = excluded.vpc,"
                + " creator_request_id = excluded.creator_request_id,"
                + " create_date = excluded.create_date");
    removeNamespace = prepare(connection, "DELETE FROM namespaces WHERE id = ?");
    putService =
        prepare(
            connection,
            "INSERT INTO services (id, arn, name, namespace_id, description, routing_policy,"
                + " dns_records, health_check_type, health_check_resource_path,"
                + " health_check_failure_threshold, custom_health_failure_threshold,"
                + " creator_request_id, create_date)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET arn = excluded.arn, name = excluded.name,"
                + " namespace_id = excluded.namespace_id, description = excluded.description,"
                + " routing_policy = excluded.routing_policy, dns_records = excluded.dns_records,"
                + " health_check_type = excluded.health_check_type,"
                + " health_check_resource_path = excluded.health_check_resource_path,"
                + " health_check_failure_threshold = excluded.health_check_failure_threshold,"
                + " custom_health_failure_threshold = excluded.custom_health_failure_threshold,"
                + " creator_request_id = excluded.creator_request_id,"
                + " create_date = excluded.create_date");
    removeService = prepare(connection, "DELETE FROM services WHERE id = ?");
    putInstance =
        prepare(
            connection,
            "INSERT INTO instances (service_id, id, attributes, creator_request_id,"
                + " registered_at, health, owner) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (service_id, id) DO UPDATE SET attributes = excluded.attributes,"
                + " creator_request_id = excluded.creator_request_id,"
                + " registered_at = excluded.registered_at, health = excluded.health,"
                + " owner = excluded.owner");
    removeInstance = prepare(connection, "DELETE FROM instances WHERE service_id = ? AND id = ?");
    setRevision = prepare(connection, "UPDATE services SET instances_revision = ? WHERE id = ?");
    setHealth =
        prepare(connection, "UPDATE instances SET health = ? WHERE service_id = ? AND id = ?");
    removeTags = prepare(connection, "DELETE FROM tags WHERE resource_id = ?");
    addTag = prepare(connection, "INSERT INTO tags (resource_id, key, value) VALUES (?, ?, ?)");
    removeServiceAttributes =
        prepare(connection, "DELETE FROM service_attributes WHERE service_id = ?");
    addServiceAttribute =
        prepare(
            connection, "INSERT INTO service_attributes (service_id, key, value) VALUES (?, ?, ?)");
    addOperation =
        prepare(
            connection,
            "INSERT INTO operations (id, type, status, targets, create_date, update_date,"
                + " request_id, region) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET type = excluded.type,"
                + " status = excluded.status, targets = excluded.targets,"
                + " create_date = excluded.create_date, update_date = excluded.update_date,"
                + " request_id = excluded.request_id, region = excluded.region");
    // A new operation gets max(seq) + 1 and only the oldest are ever deleted, so the seqs are
    // contiguous and this keeps exactly the newest ones without counting them.
    trimOperations =
        prepare(
            connection,
            "DELETE FROM operations WHERE seq <= (SELECT max(seq) FROM operations) - ?");
    setVersion = prepare(connection, "UPDATE meta SET version = max(version, ?) WHERE id = 1");
  }

  /**
   * Writes the batch's changes, keeps the newest operations and records the version. What the same
   * batch would undo is not written: of more than {@link RegistryState#MAX_OPERATIONS} new
   * operations only the newest are inserted (the trim would delete the others, and every older row,
   * at once), and each service's instances revision is set once, to its last value.
   */
  void write(List<DeltaSet> batch) throws SQLException {
    long version = 0;
    int operations = 0;
    for (DeltaSet changeSet : batch) {
      for (StateDelta change : changeSet.changes()) {
        if (change instanceof StateDelta.OperationAdded) {
          operations++;
        }
      }
    }
    int unkept = Math.max(0, operations - RegistryState.MAX_OPERATIONS);
    Map<String, Long> revisions = new LinkedHashMap<>();
    for (DeltaSet changeSet : batch) {
      for (StateDelta change : changeSet.changes()) {
        if (change instanceof StateDelta.OperationAdded && unkept > 0) {
          unkept--;
        } else {
          write(change, revisions);
        }
      }
      version = Math.max(version, changeSet.version());
    }
    for (Map.Entry<String, Long> revision : revisions.entrySet()) {
      setRevision(revision.getKey(), revision.getValue());
    }
    trimOperations.setInt(1, RegistryState.MAX_OPERATIONS);
    trimOperations.executeUpdate();
    setVersion.setLong(1, version);
    setVersion.executeUpdate();
  }

  private void write(StateDelta change, Map<String, Long> revisions) throws SQLException {
    if (change instanceof StateDelta.NamespacePut put) {
      putNamespace(put.namespace());
    } else if (change instanceof StateDelta.NamespaceRemoved removed) {
      run(removeNamespace, removed.namespaceId());
      run(removeTags, removed.namespaceId());
    } else if (change instanceof StateDelta.ServicePut put) {
      putService(put.service());
    } else if (change instanceof StateDelta.ServiceRemoved removed) {
      // Its instances and service attributes go with it (ON DELETE CASCADE).
      run(removeService, removed.serviceId());
      run(removeTags, removed.serviceId());
      revisions.remove(removed.serviceId());
    } else if (change instanceof StateDelta.InstancePut put) {
      putInstance(put);
      revisions.put(put.serviceId(), put.instancesRevision());
    } else if (change instanceof StateDelta.InstanceRemoved removed) {
      run(removeInstance, removed.serviceId(), removed.instanceId());
      revisions.put(removed.serviceId(), removed.instancesRevision());
    } else if (change instanceof StateDelta.HealthSet health) {
      run(setHealth, health.status().name(), health.serviceId(), health.instanceId());
    } else if (change instanceof StateDelta.TagsSet set) {
      replace(removeTags, addTag, set.resourceId(), set.tags());
    } else if (change instanceof StateDelta.ServiceAttributesSet set) {
      replace(removeServiceAttributes, addServiceAttribute, set.serviceId(), set.attributes());
    } else if (change instanceof StateDelta.OperationAdded added) {
      addOperation(added.operation());
    } else {
      throw new IllegalArgumentException("unknown change " + change);
    }
  }

  private void putNamespace(Namespace namespace) throws SQLException {
    run(
        putNamespace,
        namespace.id(),
        namespace.arn(),
        namespace.name(),
        namespace.type().name(),
        namespace.description(),
        namespace.soaTtl(),
        namespace.vpc(),
        namespace.creatorRequestId(),
        namespace.createDate().toString());
  }

  private void putService(Service service) throws SQLException {
    DnsConfig dns = service.dnsConfig();
    HealthCheckConfig check = service.healthCheckConfig();
    HealthCheckCustomConfig custom = service.healthCheckCustomConfig();
    run(
        putService,
        service.id(),
        service.arn(),
        service.name(),
        service.namespaceId(),
        service.description(),
        dns == null ? null : dns.routingPolicy().name(),
        dns == null ? null : JsonColumns.write(dns.records()),
        check == null ? null : check.type().name(),
        check == null ? null : check.resourcePath(),
        check == null ? null : check.failureThreshold(),
        custom == null ? null : custom.failureThreshold(),
        service.creatorRequestId(),
        service.createDate().toString());
  }

  private void putInstance(StateDelta.InstancePut put) throws SQLException {
    Instance instance = put.instance().instance();
    run(
        putInstance,
        put.serviceId(),
        instance.id(),
        JsonColumns.write(instance.attributes()),
        instance.creatorRequestId(),
        instance.registeredAt().toString(),
        put.instance().health().name(),
        instance.owner().name());
  }

  private void setRevision(String serviceId, long revision) throws SQLException {
    if (run(setRevision, revision, serviceId) != 1) {
      throw new SQLException("no service " + serviceId + " to change");
    }
  }

  private void addOperation(Operation operation) throws SQLException {
    run(
        addOperation,
        operation.id(),
        operation.type().name(),
        operation.status().name(),
        JsonColumns.write(operation.targets()),
        operation.createDate().toString(),
        operation.updateDate().toString(),
        operation.requestId(),
        operation.region());
  }

  /** Replaces all key/value rows of one owner, in the map's order. */
  private static void replace(
      PreparedStatement remove, PreparedStatement add, String owner, Map<String, String> values)
      throws SQLException {
    run(remove, owner);
    for (Map.Entry<String, String> entry : values.entrySet()) {
      run(add, owner, entry.getKey(), entry.getValue());
    }
  }

  private static int run(PreparedStatement statement, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      Object value = values[i];
      if (value == null) {
        statement.setNull(i + 1, Types.NULL);
      } else {
        statement.setObject(i + 1, value);
      }
    }
    return statement.executeUpdate();
  }

  private PreparedStatement prepare(Connection connection, String sql) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    all.add(statement);
    return statement;
  }

  @Override
  public void close() throws SQLException {
    for (PreparedStatement statement : all) {
      statement.close();
    }
  }
}
