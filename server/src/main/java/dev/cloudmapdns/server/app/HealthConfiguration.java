package dev.cloudmapdns.server.app;

import dev.cloudmapdns.server.health.HealthSettings;
import dev.cloudmapdns.server.registry.InitialCheckStatus;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The health workers ({@code cloudmap.health.*}).
 *
 * @param enabled whether to run active checks at all (off: checked instances stay as registered)
 * @param interval time between two checks of one instance
 * @param timeout how long one probe may take, connection included
 * @param jitter random shift of each next check, at most this much either way; a tenth of the
 *     interval when unset
 * @param maxConcurrentProbes probes in flight at once; due checks beyond it wait in line
 * @param initiallyHealthy Route 53's behaviour: a new instance of a checked service starts HEALTHY
 *     (answered) until FailureThreshold checks fail; off by default, when it starts UNKNOWN (not
 *     answered) until its first check passes
 */
@ConfigurationProperties("cloudmap.health")
public record HealthConfiguration(
    @Bindable(defaultValue = "true") boolean enabled,
    @Bindable(defaultValue = "5s") Duration interval,
    @Bindable(defaultValue = "2s") Duration timeout,
    @Nullable Duration jitter,
    @Bindable(defaultValue = "256") int maxConcurrentProbes,
    @Bindable(defaultValue = "false") boolean initiallyHealthy) {

  HealthSettings settings() {
    try {
      return new HealthSettings(
          interval, timeout, jitter == null ? interval.dividedBy(10) : jitter, maxConcurrentProbes);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("cloudmap.health: " + e.getMessage());
    }
  }

  InitialCheckStatus initialCheckStatus() {
    return initiallyHealthy
        ? InitialCheckStatus.HEALTHY_UNTIL_FAILED
        : InitialCheckStatus.UNKNOWN_UNTIL_CHECKED;
  }
}
