package dev.cloudmapdns.server.watch;

import static dev.cloudmapdns.server.testing.RegistryFixture.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.proto.v1.HealthStatus;
import dev.cloudmapdns.proto.v1.RegistryEvent;
import dev.cloudmapdns.proto.v1.RegistryEvent.Kind;
import dev.cloudmapdns.proto.v1.RegistryWatchGrpc;
import dev.cloudmapdns.proto.v1.WatchRequest;
import dev.cloudmapdns.server.testing.Await;
import dev.cloudmapdns.server.testing.RegistryFixture;
import io.grpc.Context;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watch service in-process, through a real stub, against a real registry. */
class RegistryWatchGrpcServiceTest {
  private final ExecutorService delivery = Executors.newSingleThreadExecutor();
  private final RegistryFixture fixture = new RegistryFixture();
  private static final int QUEUE_LIMIT = 100;
  private final RegistryEvents events =
      new RegistryEvents(delivery, QUEUE_LIMIT, Clock.systemUTC());

  /** Events the server has written to the transport, counted below the service. */
  private final AtomicInteger written = new AtomicInteger();

  private Server server;
  private ManagedChannel channel;
  private RegistryWatchGrpc.RegistryWatchBlockingStub stub;
  private RegistryWatchGrpc.RegistryWatchStub asyncStub;
  private String api;
  private String web;

  @BeforeEach
  void start() throws Exception {
    fixture.registry.addListener(events);
    api = fixture.service("api", tcp(1));
    web = fixture.service("web", null);
    fixture.register(api, "a", "10.0.0.1", 8080); // data only: no checks run here
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                ServerInterceptors.intercept(new RegistryWatchGrpcService(events), countWrites()))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = RegistryWatchGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    asyncStub = RegistryWatchGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    delivery.shutdownNow();
  }

  @Test
  void streamsTheCurrentInstancesThenEveryChangeInOrder() {
    Iterator<RegistryEvent> stream =
        stub.watch(WatchRequest.newBuilder().setNamespaceName("App.Local.").build());
    RegistryEvent current = stream.next();
    assertEquals(Kind.CURRENT, current.getKind());
    assertEquals("a", current.getInstanceId());
    assertEquals("api", current.getServiceName());
    assertEquals("app.local", current.getNamespaceName());
    assertEquals(HealthStatus.HEALTH_STATUS_UNKNOWN, current.getHealth());
    assertEquals("10.0.0.1", current.getAttributesMap().get("AWS_INSTANCE_IPV4"));

    fixture.registry.updateHealth(api, "a", dev.cloudmapdns.server.registry.HealthStatus.HEALTHY);
    RegistryEvent health = stream.next();
    assertEquals(Kind.HEALTH_CHANGED, health.getKind());
    assertEquals(HealthStatus.HEALTH_STATUS_HEALTHY, health.getHealth());
    assertEquals(HealthStatus.HEALTH_STATUS_UNKNOWN, health.getPreviousHealth());
    assertTrue(health.getRegistryVersion() > current.getRegistryVersion());

    fixture.register(api, "b", "10.0.0.2", 8080);
    assertEquals(Kind.REGISTERED, stream.next().getKind());
    fixture.register(api, "b", "10.0.0.3", 8080);
    RegistryEvent updated = stream.next();
    assertEquals(Kind.UPDATED, updated.getKind());
    assertEquals("10.0.0.3", updated.getAttributesMap().get("AWS_INSTANCE_IPV4"));
    fixture.registry.deregisterInstance(api, "b");
    RegistryEvent gone = stream.next();
    assertEquals(Kind.DEREGISTERED, gone.getKind());
    assertEquals("b", gone.getInstanceId());
  }

  @Test
  void deliversOnlyTheWatchedService() {
    Iterator<RegistryEvent> stream =
        stub.watch(WatchRequest.newBuilder().setServiceId(api).setSkipCurrent(true).build());
    fixture.register(web, "w", "10.0.0.9", 80);
    fixture.register(api, "c", "10.0.0.4", 8080);
    RegistryEvent first = stream.next();
    assertEquals("c", first.getInstanceId());
    assertEquals(api, first.getServiceId());
  }

  @Test
  void filtersByServiceName() {
    Iterator<RegistryEvent> stream =
        stub.watch(WatchRequest.newBuilder().setServiceName("WEB").build());
    fixture.register(api, "c", "10.0.0.4", 8080);
    fixture.register(web, "w", "10.0.0.9", 80);
    assertEquals("w", stream.next().getInstanceId());
  }

  @Test
  void forgetsAWatcherThatCancels() throws Exception {
    Context.CancellableContext context = Context.current().withCancellation();
    Iterator<RegistryEvent> stream =
        context.call(() -> stub.watch(WatchRequest.getDefaultInstance()));
    assertEquals(Kind.CURRENT, stream.next().getKind());
    assertEquals(1, events.subscribers());
    context.cancel(null);
    Await.until(() -> events.subscribers() == 0, () -> "subscription removed");
  }

  @Test
  void aClientThatDoesNotReadIsEndedWithResourceExhaustedAndNothingIsWrittenForIt() {
    PacedClient client = PacedClient.watch(asyncStub, WatchRequest.getDefaultInstance());
    for (int i = 0; i <= QUEUE_LIMIT; i++) {
      fixture.register(api, "n" + i, "10.0.1." + (i % 250), 8080);
    }
    Await.until(() -> client.failure.get() != null, () -> "the stream ended");
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, client.failure.get().getCode());
    assertEquals(0, written.get());
    assertTrue(client.received.isEmpty());
    assertEquals(0, events.subscribers());
  }

  @Test
  void aSlowClientGetsEveryEventInOrderAtItsOwnPace() {
    PacedClient client =
        PacedClient.watch(asyncStub, WatchRequest.newBuilder().setServiceId(api).build());
    fixture.register(api, "b", "10.0.0.2", 8080);
    fixture.register(api, "c", "10.0.0.3", 8080);
    assertEquals(0, written.get());

    client.request(2);
    Await.until(() -> client.received.size() == 2, () -> "two events: " + client.received);
    assertEquals(2, written.get());
    client.request(10);
    Await.until(() -> client.received.size() == 3, () -> "three events: " + client.received);
    assertEquals(
        List.of("a", "b", "c"),
        client.received.stream().map(RegistryEvent::getInstanceId).toList());
    assertEquals(
        List.of(Kind.CURRENT, Kind.REGISTERED, Kind.REGISTERED),
        client.received.stream().map(RegistryEvent::getKind).toList());
    assertEquals(1, events.subscribers());
  }

  private ServerInterceptor countWrites() {
    return new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        return next.startCall(
            new SimpleForwardingServerCall<>(call) {
              @Override
              public void sendMessage(A message) {
                written.incrementAndGet();
                super.sendMessage(message);
              }
            },
            headers);
      }
    };
  }

  /** A watch client that asks for events only when the test says so (gRPC's request(n)). */
  private static final class PacedClient
      implements ClientResponseObserver<WatchRequest, RegistryEvent> {
    final List<RegistryEvent> received = new CopyOnWriteArrayList<>();
    final AtomicReference<Status> failure = new AtomicReference<>();
    private volatile ClientCallStreamObserver<WatchRequest> call;

    static PacedClient watch(RegistryWatchGrpc.RegistryWatchStub stub, WatchRequest request) {
      PacedClient client = new PacedClient();
      stub.watch(request, client);
      return client;
    }

    void request(int events) {
      call.request(events);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
      call = requestStream;
      requestStream.disableAutoRequestWithInitial(0);
    }

    @Override
    public void onNext(RegistryEvent event) {
      received.add(event);
    }

    @Override
    public void onError(Throwable t) {
      failure.set(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      failure.set(Status.OK);
    }
  }
}
