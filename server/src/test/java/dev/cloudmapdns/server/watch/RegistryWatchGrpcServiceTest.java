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
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Clock;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watch service in-process, through a real stub, against a real registry. */
class RegistryWatchGrpcServiceTest {
  private final ExecutorService delivery = Executors.newSingleThreadExecutor();
  private final RegistryFixture fixture = new RegistryFixture();
  private final RegistryEvents events = new RegistryEvents(delivery, 100, Clock.systemUTC());
  private Server server;
  private ManagedChannel channel;
  private RegistryWatchGrpc.RegistryWatchBlockingStub stub;
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
            .addService(new RegistryWatchGrpcService(events))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = RegistryWatchGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
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
}
