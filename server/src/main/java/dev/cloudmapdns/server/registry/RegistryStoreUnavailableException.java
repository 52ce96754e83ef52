package dev.cloudmapdns.server.registry;

/**
 * The store cannot take writes just now (etcd unreachable, or too many lost races in a row): the
 * command was refused and nothing of it applied; the same command may succeed a moment later. The
 * API answers it as ServiceUnavailable (503), which the AWS SDKs retry.
 */
public class RegistryStoreUnavailableException extends RegistryStoreException {
  private static final long serialVersionUID = 1L;

  public RegistryStoreUnavailableException(String message) {
    super(message);
  }

  public RegistryStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
