package dev.cloudmapdns.server.kubernetes;

/**
 * The watcher is on but the cluster cannot be reached at start-up: the server stops with this one
 * line rather than serve a registry that silently misses every pod.
 */
public final class KubernetesUnavailableException extends RuntimeException {
  public KubernetesUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
