package dev.cloudmapdns.server.app;

import io.grpc.ServerBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;

/**
 * Bounds the calls one gRPC connection may have in flight ({@code
 * cloudmap.grpc.max-calls-per-connection}): HTTP/2 refuses streams beyond it until earlier ones
 * finish, so a client that sends faster than we answer waits on its own side (CoreDNS within its 5
 * s budget) instead of growing queues here. CoreDNS keeps one connection per upstream and rarely
 * has more than a few hundred queries outstanding on it.
 */
@Singleton
final class GrpcConcurrencyLimit implements BeanCreatedEventListener<ServerBuilder<?>> {
  static final String PROPERTY = "cloudmap.grpc.max-calls-per-connection";

  private final int maxCallsPerConnection;

  GrpcConcurrencyLimit(@Value("${" + PROPERTY + ":1000}") int maxCallsPerConnection) {
    if (maxCallsPerConnection < 1) {
      throw new ConfigurationException(
          PROPERTY + " must be at least 1, not " + maxCallsPerConnection);
    }
    this.maxCallsPerConnection = maxCallsPerConnection;
  }

  @Override
  public ServerBuilder<?> onCreated(BeanCreatedEvent<ServerBuilder<?>> event) {
    ServerBuilder<?> builder = event.getBean();
    if (builder instanceof NettyServerBuilder netty) {
      netty.maxConcurrentCallsPerConnection(maxCallsPerConnection);
    }
    return builder;
  }
}
