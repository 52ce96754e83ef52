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
 * cloudmap.grpc.max-calls-per-connection}, default 100, the least HTTP/2 recommends): the server
 * refuses streams beyond it until earlier ones finish, so a client that sends faster than we answer
 * keeps the excess on its own side (grpc-go in CoreDNS and grpc-java both wait for a free stream),
 * where a call whose caller gives up costs us nothing. The server holds no queue of its own ({@code
 * Query} runs on the transport thread as each call is read), so this limit is the queue: with
 * 1,000, up to half of what the server answered at twice its capacity went to callers who had
 * already given up; with 100, at most 2 % (benchmark (12) in docs/benchmarks.md). CoreDNS keeps one
 * connection per upstream and has far fewer than 100 queries outstanding on it unless we are
 * behind.
 */
@Singleton
final class GrpcConcurrencyLimit implements BeanCreatedEventListener<ServerBuilder<?>> {
  static final String PROPERTY = "cloudmap.grpc.max-calls-per-connection";

  private final int maxCallsPerConnection;

  GrpcConcurrencyLimit(@Value("${" + PROPERTY + ":100}") int maxCallsPerConnection) {
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
