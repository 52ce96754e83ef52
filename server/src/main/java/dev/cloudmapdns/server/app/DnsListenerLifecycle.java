package dev.cloudmapdns.server.app;

import dev.cloudmapdns.dns.engine.DnsWireHandler;
import dev.cloudmapdns.dns.listener.DnsListener;
import dev.cloudmapdns.server.metrics.DnsMeters;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;

/** Runs the embedded UDP/TCP DNS listener for the life of the application. */
@Context
@Requires(property = "cloudmap.dns.listener-enabled", notEquals = "false")
final class DnsListenerLifecycle implements AutoCloseable {
  private final DnsListener listener;

  DnsListenerLifecycle(DnsWireHandler handler, DnsConfiguration config, DnsMeters meters)
      throws InterruptedException {
    listener = new DnsListener(handler, meters, config.eventLoops());
    listener.start(config.listenerHost(), config.listenerPort());
  }

  int port() {
    return listener.port();
  }

  @Override
  @PreDestroy
  public void close() {
    listener.close();
  }
}
