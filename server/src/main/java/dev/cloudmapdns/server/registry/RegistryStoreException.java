package dev.cloudmapdns.server.registry;

/**
 * The store could not read or keep the registry's data. At start-up it stops the server with its
 * message; on a write the command is refused and nothing of it is applied.
 */
public class RegistryStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RegistryStoreException(String message) {
    super(message);
  }

  public RegistryStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
