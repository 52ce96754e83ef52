package dev.cloudmapdns.server.app;

import dev.cloudmapdns.dns.grpc.CoreDnsGrpcService;
import io.grpc.Metadata;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.util.concurrent.Executor;

/**
 * Runs CoreDNS's {@code DnsService/Query} on the gRPC transport thread that read it, instead of
 * handing every query to the application's IO pool and back: the answer engine never blocks, so the
 * hand-off is pure cost (two thread wake-ups per query). Every other method (the registry watch,
 * the debug API, health, reflection) keeps the server's default executor.
 */
@Singleton
final class DnsQueryCallExecutor
    implements BeanCreatedEventListener<ServerBuilder<?>>, ServerCallExecutorSupplier {
  private static final Executor ON_TRANSPORT_THREAD = Runnable::run;

  @Override
  public ServerBuilder<?> onCreated(BeanCreatedEvent<ServerBuilder<?>> event) {
    return event.getBean().callExecutor(this);
  }

  @Override
  public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata metadata) {
    return CoreDnsGrpcService.QUERY_METHOD.equals(call.getMethodDescriptor().getFullMethodName())
        ? ON_TRANSPORT_THREAD
        : null;
  }
}
