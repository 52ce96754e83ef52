package dev.cloudmapdns.server.app;

import io.grpc.ServerBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * Bounds the calls one gRPC connection may have in flight: HTTP/2 refuses streams beyond {@link
 * #MAX_CALLS_PER_CONNECTION} until earlier ones finish, so a client that sends faster than we
 * answer waits on its own side (CoreDNS within its 5 s budget) instead of growing queues here.
 * CoreDNS keeps one connection per upstream and rarely has more than a few hundred queries
 * outstanding on it.
 */
@Singleton
final class GrpcConcurrencyLimit implements BeanCreatedEventListener<ServerBuilder<?>> {
  static final int MAX_CALLS_PER_CONNECTION = 1_000;

  @Override
  public ServerBuilder<?> onCreated(BeanCreatedEvent<ServerBuilder<?>> event) {
    ServerBuilder<?> builder = event.getBean();
    if (builder instanceof NettyServerBuilder netty) {
      netty.maxConcurrentCallsPerConnection(MAX_CALLS_PER_CONNECTION);
    }
    return builder;
  }
}
