package dev.cloudmapdns.server.store;

import dev.cloudmapdns.server.registry.RegistryStoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;

/**
 * The database file's place on disk, claimed for one store: its directory exists and is writable,
 * the file (if there is one) is writable, and a lock file {@code <file>.lock} is held until {@link
 * #release()}. SQLite's own locks only serialize transactions; two servers that each keep the
 * registry in memory must never share a file, so a second one is refused outright. The lock file is
 * not the database, so {@code sqlite3} can still inspect it meanwhile.
 *
 * <p>Permissions are checked on the owner write bit, not by trying to write: as root every write
 * succeeds, yet a file someone made read-only is not ours to change.
 */
final class StoreFile {
  private final FileChannel channel;
  private final FileLock lock;

  private StoreFile(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Creates the directory if needed and takes the lock.
   *
   * @throws RegistryStoreException when the directory or file is not writable or the file is in use
   */
  static StoreFile claim(Path file) {
    Path directory = file.getParent();
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new RegistryStoreException(
          "cannot create directory "
              + directory
              + " for the registry database "
              + file
              + ": "
              + e
              + "; create it or choose another location");
    }
    if (!ownerWritable(directory)) {
      throw new RegistryStoreException(
          "directory "
              + directory
              + " of the registry database "
              + file
              + " is not writable; make it writable (chmod u+w) or choose another location");
    }
    if (Files.exists(file)) {
      if (!Files.isRegularFile(file)) {
        throw new RegistryStoreException(
            file + " is not a regular file; move it away or choose another location");
      }
      if (!ownerWritable(file)) {
        throw new RegistryStoreException(
            "registry database "
                + file
                + " is read-only; make it writable (chmod u+w) or choose another file");
      }
    }
    return lock(file, file.resolveSibling(file.getFileName() + ".lock"));
  }

  private static StoreFile lock(Path file, Path lockFile) {
    FileChannel channel;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new RegistryStoreException(
          "cannot open lock file "
              + lockFile
              + " of the registry database "
              + file
              + ": "
              + e
              + "; make the directory writable or choose another location");
    }
    FileLock lock = null;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      // Held by another store in this process; refused below like another process.
    } catch (IOException e) {
      closeQuietly(channel);
      throw new RegistryStoreException(
          "cannot lock " + lockFile + ": " + e + "; check the file system supports locks");
    }
    if (lock == null) {
      closeQuietly(channel);
      throw new RegistryStoreException(
          "registry database "
              + file
              + " is in use by another cloudmap-dns ("
              + lockFile
              + " is locked); stop it or choose another file");
    }
    return new StoreFile(channel, lock);
  }

  /** Lets the next store open the file. The lock file stays: deleting it would race a new owner. */
  void release() {
    try {
      lock.release();
    } catch (IOException e) {
      // Closing the channel below releases it as well.
    } finally {
      closeQuietly(channel);
    }
  }

  private static boolean ownerWritable(Path path) {
    try {
      return Files.getPosixFilePermissions(path).contains(PosixFilePermission.OWNER_WRITE);
    } catch (UnsupportedOperationException e) {
      return Files.isWritable(path);
    } catch (IOException e) {
      return false;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing left to release.
    }
  }
}
