package dev.cloudmapdns.server.registry;

/**
 * What a newly registered instance of a service with active health checks ({@link
 * HealthCheckConfig}) starts as, before its first check has a result.
 */
public enum InitialCheckStatus {
  /**
   * This product's default, as Consul does it: UNKNOWN, so not answered in DNS, until the first
   * check (which runs at once) decides. A service that registers before it is ready never gets
   * traffic.
   */
  UNKNOWN_UNTIL_CHECKED(HealthStatus.UNKNOWN),
  /** Route 53's behaviour: HEALTHY until {@code FailureThreshold} consecutive checks fail. */
  HEALTHY_UNTIL_FAILED(HealthStatus.HEALTHY);

  private final HealthStatus status;

  InitialCheckStatus(HealthStatus status) {
    this.status = status;
  }

  public HealthStatus status() {
    return status;
  }
}
