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
 * each {@link WatchEvent} into a {@link RegistryEvent}; everything else is {@link
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
              public void deliver(WatchEvent event) {
                call.onNext(toProto(event));
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

  static RegistryEvent toProto(WatchEvent event) {
    RegistryEvent.Builder proto =
        RegistryEvent.newBuilder()
            .setKind(RegistryEvent.Kind.valueOf(event.kind().name()))
            .setRegistryVersion(event.version())
            .setNamespaceId(event.namespaceId())
            .setNamespaceName(event.namespaceName())
            .setServiceId(event.serviceId())
            .setServiceName(event.serviceName())
            .setInstanceId(event.instanceId())
            .setHealth(toProto(event.health()))
            .putAllAttributes(event.attributes())
            .setTimeUnixMillis(event.at().toEpochMilli());
    if (event.previousHealth() != null) {
      proto.setPreviousHealth(toProto(event.previousHealth()));
    }
    return proto.build();
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
