package dev.cloudmapdns.server.store;

import dev.cloudmapdns.server.registry.RegistryStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The database's schema version and how to reach the newest one. Migrations are the SQL resources
 * {@code db/sqlite/V<n>__<name>.sql}, applied in order, each in its own transaction that also sets
 * {@code PRAGMA user_version} to its number: SQLite changes the version atomically with the DDL, so
 * a crash leaves the file at the old version or the new one, never half way.
 *
 * <p>Why not Flyway or Liquibase: there is one embedded file with one writer, so there is nothing
 * to coordinate; Flyway is a large dependency whose SQLite support and checksum table buy us
 * nothing that {@code user_version} and this list do not.
 *
 * <p>{@code PRAGMA application_id} marks the file as ours, so that another application's database
 * is refused instead of being given our tables.
 */
final class Schema {
  /** "CMDN"; set by V1. */
  static final int APPLICATION_ID = 0x434D444E;

  private static final List<String> MIGRATIONS =
      List.of("V1__registry.sql", "V2__instance_owner.sql");

  /** The newest schema this build knows. */
  static final int LATEST = MIGRATIONS.size();

  private Schema() {}

  /**
   * Refuses a file that is not a cloudmap-dns database this build can use, reading it only.
   *
   * @param connection a read-only connection to an existing, non-empty file
   */
  static void check(Connection connection, Path file) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      int applicationId = intPragma(statement, "application_id");
      int version = intPragma(statement, "user_version");
      boolean empty = single(statement, "SELECT count(*) FROM sqlite_schema") == 0;
      boolean ourTables =
          single(
                  statement,
                  "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                      + " AND name IN ('meta', 'namespaces', 'services', 'instances')")
              == 4;
      if (applicationId != APPLICATION_ID && (!empty || version != 0) && !ourTables) {
        throw new RegistryStoreException(
            file
                + " is a SQLite database of another application (application_id "
                + applicationId
                + "), not a cloudmap-dns database; choose another file or move it away");
      }
      if (version > LATEST) {
        throw new RegistryStoreException(
            file
                + " was written by a newer cloudmap-dns (schema "
                + version
                + ", this build knows up to "
                + LATEST
                + "); run that version or restore a backup made by this one");
      }
      List<String> problems = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery("PRAGMA quick_check")) {
        while (rows.next()) {
          problems.add(rows.getString(1));
        }
      }
      if (!problems.equals(List.of("ok"))) {
        throw SqliteRegistryStore.damaged(file, String.join("; ", problems), null);
      }
    }
  }

  /** Brings the database to {@link #LATEST}, one committed transaction per migration. */
  static void migrate(Connection connection, Path file) throws SQLException {
    int current;
    try (Statement statement = connection.createStatement()) {
      current = intPragma(statement, "user_version");
    }
    connection.commit();
    if (current > LATEST) {
      // Checked before, unless another process changed the file since.
      throw new RegistryStoreException(
          file + " was written by a newer cloudmap-dns (schema " + current + ")");
    }
    for (int version = current + 1; version <= LATEST; version++) {
      try (Statement statement = connection.createStatement()) {
        // sqlite-jdbc runs every statement of the script (sqlite3_exec).
        statement.executeUpdate(script(MIGRATIONS.get(version - 1)));
        statement.executeUpdate("PRAGMA user_version = " + version);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  private static String script(String name) {
    String resource = "/db/sqlite/" + name;
    try (InputStream in = Schema.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing migration " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration " + resource, e);
    }
  }

  private static int intPragma(Statement statement, String pragma) throws SQLException {
    return (int) single(statement, "PRAGMA " + pragma);
  }

  private static long single(Statement statement, String query) throws SQLException {
    try (ResultSet rows = statement.executeQuery(query)) {
      return rows.next() ? rows.getLong(1) : 0;
    }
  }
}
