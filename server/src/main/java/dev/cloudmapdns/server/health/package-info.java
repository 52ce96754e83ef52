/**
 * Active health checks: a pure threshold state machine per instance, a non-blocking Netty prober
 * for TCP, HTTP and HTTPS, and the workers that follow the registry, check every instance of every
 * service with a HealthCheckConfig, and push each change of status back into the registry.
 */
package dev.cloudmapdns.server.health;
