package dev.cloudmapdns.server.watch;

import dev.cloudmapdns.proto.v1.HealthStatus;
import dev.cloudmapdns.proto.v1.RegistryEvent;
import dev.cloudmapdns.proto.v1.RegistryWatchGrpc;
import dev.cloudmapdns.proto.v1.WatchRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code cloudmapdns.v1.RegistryWatch}: translates a watch request into a {@link WatchFilter} and
 * each {@link RegistryChange} into a {@link RegistryEvent}; everything else is {@link
 * RegistryEvents}'s. It honours gRPC flow control: an event is written only while the call {@link
 * ServerCallStreamObserver#isReady() is ready}, and delivery resumes from the call's on-ready
 * handler, so a client that reads slowly makes its subscription's bounded queue fill (and end the
 * call with {@code RESOURCE_EXHAUSTED}) instead of the transport's buffers grow.
 */
public final class RegistryWatchGrpcService extends RegistryWatchGrpc.RegistryWatchImplBase {
  private final RegistryEvents events;

  public RegistryWatchGrpcService(RegistryEvents events) {
    this.events = events;
  }

  @Override
  public void watch(WatchRequest request, StreamObserver<RegistryEvent> response) {
    ServerCallStreamObserver<RegistryEvent> call =
        (ServerCallStreamObserver<RegistryEvent>) response;
    AtomicReference<RegistryEvents.Subscription> subscription = new AtomicReference<>();
    call.setOnCancelHandler(
        () -> {
          RegistryEvents.Subscription current = subscription.get();
          if (current != null) {
            current.cancel();
          }
        });
    call.setOnReadyHandler(
        () -> {
          RegistryEvents.Subscription current = subscription.get();
          if (current != null) {
            current.resume();
          }
        });
    WatchFilter filter =
        new WatchFilter(
            blankToNull(request.getNamespaceName()),
            blankToNull(request.getServiceId()),
            blankToNull(request.getServiceName()));
    subscription.set(
        events.subscribe(
            filter,
            !request.getSkipCurrent(),
            new RegistryEvents.Sink() {
              @Override
              public boolean ready() {
                return call.isReady();
              }

              @Override
              public void change(RegistryChange change) {
                call.onNext(toProto(change));
              }

              @Override
              public void overflowed() {
                call.onError(
                    Status.RESOURCE_EXHAUSTED
                        .withDescription("the watcher fell too far behind; watch again")
                        .asRuntimeException());
              }
            }));
    if (call.isCancelled()) {
      subscription.get().cancel();
    }
  }

  static RegistryEvent toProto(RegistryChange change) {
    RegistryEvent.Builder event =
        RegistryEvent.newBuilder()
            .setKind(RegistryEvent.Kind.valueOf(change.kind().name()))
            .setRegistryVersion(change.version())
            .setNamespaceId(change.namespaceId())
            .setNamespaceName(change.namespaceName())
            .setServiceId(change.serviceId())
            .setServiceName(change.serviceName())
            .setInstanceId(change.instanceId())
            .setHealth(toProto(change.health()))
            .putAllAttributes(change.attributes())
            .setTimeUnixMillis(change.at().toEpochMilli());
    if (change.previousHealth() != null) {
      event.setPreviousHealth(toProto(change.previousHealth()));
    }
    return event.build();
  }

  private static HealthStatus toProto(dev.cloudmapdns.server.registry.HealthStatus status) {
    return switch (status) {
      case HEALTHY -> HealthStatus.HEALTH_STATUS_HEALTHY;
      case UNHEALTHY -> HealthStatus.HEALTH_STATUS_UNHEALTHY;
      case UNKNOWN -> HealthStatus.HEALTH_STATUS_UNKNOWN;
    };
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
