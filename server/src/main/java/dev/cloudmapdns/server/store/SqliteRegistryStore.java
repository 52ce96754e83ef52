package dev.cloudmapdns.server.store;

import dev.cloudmapdns.server.registry.DeltaSet;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.RegistryStore;
import dev.cloudmapdns.server.registry.RegistryStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * The registry kept in one SQLite file, on one connection, in WAL mode. Before it writes a byte it
 * makes sure the file is one it may own ({@link StoreFile}, {@link Schema#check}); a file it
 * refuses is left exactly as it was. Each batch of change sets is one transaction, so concurrent
 * commands share one sync (the registry's group commit).
 *
 * <p>The file stays readable by {@code sqlite3} while the server runs; plain columns, ISO-8601
 * instants and enum names make it so.
 */
public final class SqliteRegistryStore implements RegistryStore {
  private static final int SQLITE_READONLY = 8;
  private static final int SQLITE_CORRUPT = 11;
  private static final int SQLITE_CANTOPEN = 14;
  private static final int SQLITE_NOTADB = 26;
  private static final int BUSY_TIMEOUT_MILLIS = 1_000;

  /** How hard a commit pushes to the disk. */
  public enum Synchronous {
    /** The default: every acknowledged commit is on disk and survives a power loss. */
    FULL,
    /**
     * Survives a crash or kill of the process, but an OS crash or power loss may lose the last
     * commits (never corrupting the file). Faster: the WAL is synced at checkpoints only.
     */
    NORMAL
  }

  private final Path file;
  private final Synchronous synchronous;
  private final StoreFile claim;
  private final Connection connection;
  private final DeltaWriter writer;
  private boolean closed;

  private SqliteRegistryStore(
      Path file,
      Synchronous synchronous,
      StoreFile claim,
      Connection connection,
      DeltaWriter writer) {
    this.file = file;
    this.synchronous = synchronous;
    this.claim = claim;
    this.connection = connection;
    this.writer = writer;
  }

  /**
   * Loads SQLite's native library and the classes that read the registry back, touching no file:
   * half a second of a cold start, worth doing on another thread while the application starts. A
   * failure is left for {@link #open} to report.
   */
  public static void preload() {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT json_array('srv-0', 'i-0', json('{\"k\":\"v\"}'), NULL,"
                    + " '2024-01-01T00:00:00Z', 'HEALTHY')")) {
      if (row.next()) {
        JsonColumns.instanceRow(row.getString(1));
      }
    } catch (SQLException | RuntimeException e) {
      // open() meets the same problem and reports it.
    }
  }

  /**
   * Opens (or creates) the registry database {@code file}, creating its directory if needed, and
   * brings its schema up to date.
   *
   * @throws RegistryStoreException with a one-line reason when the file cannot be used safely
   */
  public static SqliteRegistryStore open(Path file, Synchronous synchronous) {
    Path path = file.toAbsolutePath().normalize();
    StoreFile claim = StoreFile.claim(path);
    Connection connection = null;
    try {
      inspect(path);
      connection = connect(path, synchronous);
      Schema.migrate(connection, path);
      return new SqliteRegistryStore(
          path, synchronous, claim, connection, new DeltaWriter(connection));
    } catch (SQLException | RuntimeException e) {
      closeQuietly(connection);
      claim.release();
      if (e instanceof RegistryStoreException refused) {
        throw refused;
      }
      throw e instanceof SQLException sql
          ? refusal(path, sql)
          : new RegistryStoreException("cannot open registry database " + path + ": " + e, e);
    }
  }

  /**
   * Refuses what is not ours to use, on a read-only connection: nothing is written to it (not even
   * the checkpoint a read-write connection would make on close).
   */
  private static void inspect(Path file) {
    if (!Files.exists(file) || size(file) == 0) {
      return;
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    try (Connection readOnly = DriverManager.getConnection(url(file), config.toProperties())) {
      Schema.check(readOnly, file);
    } catch (SQLException e) {
      int code = primary(e);
      throw code == SQLITE_READONLY || code == SQLITE_CANTOPEN
          ? refusal(file, e)
          : damaged(file, e.getMessage(), e);
    }
  }

  private static Connection connect(Path file, Synchronous synchronous) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    // Nothing reads generated keys; asking for them costs a second statement per insert.
    config.setGetGeneratedKeys(false);
    Connection connection = DriverManager.getConnection(url(file), config.toProperties());
    try (Statement statement = connection.createStatement()) {
      try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode = WAL")) {
        if (!mode.next() || !"wal".equalsIgnoreCase(mode.getString(1))) {
          throw new SQLException("journal_mode WAL is not available");
        }
      }
      statement.execute("PRAGMA synchronous = " + synchronous.name());
      statement.execute("PRAGMA foreign_keys = ON");
      statement.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
      connection.setAutoCommit(false);
      return connection;
    } catch (SQLException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  @Override
  public synchronized RegistryState load() {
    ensureOpen();
    try {
      RegistryState state = StateReader.read(connection);
      connection.commit(); // ends the read transaction, so checkpoints are not held back
      return state;
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      if (e instanceof RegistryStoreException known) {
        throw known;
      }
      throw new RegistryStoreException("cannot read registry database " + file + ": " + e, e);
    }
  }

  @Override
  public synchronized void commit(List<DeltaSet> batch) {
    ensureOpen();
    try {
      writer.write(batch);
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      if (e instanceof SQLException sql && primary(sql) == SQLITE_READONLY) {
        throw refusal(file, sql);
      }
      throw new RegistryStoreException(
          "cannot write registry database " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "sqlite " + file + " (synchronous=" + synchronous + ")";
  }

  /** Closes the connection (checkpointing the WAL) and releases the file for the next store. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writer.close();
    } catch (SQLException e) {
      // The connection closes them as well.
    }
    closeQuietly(connection);
    claim.release();
  }

  private void ensureOpen() {
    if (closed) {
      throw new RegistryStoreException("store is closed");
    }
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException e) {
      // Nothing was committed; the connection's next transaction starts afresh.
    }
  }

  /** The message for a file refused at open; also used for damage found by the schema check. */
  static RegistryStoreException damaged(Path file, String reason, Throwable cause) {
    return new RegistryStoreException(
        file
            + " is not a cloudmap-dns database or is damaged: "
            + reason
            + "; restore it from a backup or move it away",
        cause);
  }

  private static RegistryStoreException refusal(Path file, SQLException e) {
    int code = primary(e);
    if (code == SQLITE_READONLY) {
      return new RegistryStoreException(
          "registry database "
              + file
              + " is read-only: "
              + e.getMessage()
              + "; make it and its directory writable",
          e);
    }
    if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
      return damaged(file, e.getMessage(), e);
    }
    return new RegistryStoreException(
        "cannot open registry database " + file + ": " + e.getMessage(), e);
  }

  /** SQLite's primary result code; sqlite-jdbc may report an extended one. */
  private static int primary(SQLException e) {
    return e.getErrorCode() & 0xff;
  }

  private static String url(Path file) {
    return "jdbc:sqlite:" + file;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // Nothing more to release.
    }
  }
}
