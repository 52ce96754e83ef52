package dev.cloudmapdns.server.app;

import dev.cloudmapdns.dns.grpc.CoreDnsGrpcService;
import io.grpc.Metadata;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * Runs CoreDNS's {@code DnsService/Query} on the gRPC transport thread that read it, from the
 * method lookup to the reply, instead of handing every query to the application's IO pool and back:
 * the answer engine never blocks, so the hand-off is pure cost (thread wake-ups per query). Every
 * other method (the registry watch, the debug API, health, reflection) runs on the application's IO
 * pool, as before.
 *
 * <p>That is why the server's own executor becomes the transport thread and the IO pool is the
 * per-call choice, not the other way round: gRPC looks a method up (and asks this supplier) on the
 * server's executor, so with the IO pool there even a Query paid one hand-off for its lookup.
 */
@Singleton
final class DnsQueryCallExecutor
    implements BeanCreatedEventListener<ServerBuilder<?>>, ServerCallExecutorSupplier {
  private final Executor application;

  DnsQueryCallExecutor(@Named(TaskExecutors.IO) ExecutorService application) {
    this.application = application;
  }

  @Override
  public ServerBuilder<?> onCreated(BeanCreatedEvent<ServerBuilder<?>> event) {
    return configure(event.getBean());
  }

  /** Transport threads by default, the application's pool for every call but a Query. */
  ServerBuilder<?> configure(ServerBuilder<?> builder) {
    return builder.directExecutor().callExecutor(this);
  }

  @Override
  public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata metadata) {
    // null: the server's own executor, which is the transport thread.
    return CoreDnsGrpcService.QUERY_METHOD.equals(call.getMethodDescriptor().getFullMethodName())
        ? null
        : application;
  }
}
