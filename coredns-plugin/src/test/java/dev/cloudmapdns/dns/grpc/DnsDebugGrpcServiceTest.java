package dev.cloudmapdns.dns.grpc;

import static dev.cloudmapdns.dns.testing.ZoneFixtures.instance;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.service;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.dns.engine.DnsAnswerEngine;
import dev.cloudmapdns.dns.testing.ZoneFixtures;
import dev.cloudmapdns.dns.zone.DnsZoneSource;
import dev.cloudmapdns.proto.v1.DnsDebugGrpc;
import dev.cloudmapdns.proto.v1.ListZonesRequest;
import dev.cloudmapdns.proto.v1.ResolveRequest;
import dev.cloudmapdns.proto.v1.ResolveResponse;
import dev.cloudmapdns.proto.v1.ResourceRecord;
import dev.cloudmapdns.proto.v1.Zone;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code cloudmapdns.v1.DnsDebug}: the engine's answers as readable fields, for grpcurl users. */
class DnsDebugGrpcServiceTest {
  private static final DnsZoneSource ZONES =
      ZoneFixtures.source(
          zone("app.local")
              .soaTtl(30)
              .serial(3)
              .with(
                  service("backend-api")
                      .a(60)
                      .with(
                          instance("b-1").ipv4("10.0.0.1"),
                          instance("b-2").ipv4("10.0.0.2").unhealthy()),
                  service("web")
                      .weighted()
                      .srv(20)
                      .with(instance("web-1").ipv4("10.0.1.1").port(8080)))
              .build(),
          zone("staging.app.local").build(),
          zone("b.local").with(service("x").a(5).with(instance("x-1").ipv4("10.2.0.1"))).build());

  private Server server;
  private ManagedChannel channel;
  private DnsDebugGrpc.DnsDebugBlockingStub stub;

  @BeforeEach
  void startServer() throws IOException {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(new DnsDebugGrpcService(new DnsAnswerEngine(ZONES), ZONES))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = DnsDebugGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow();
    assertTrue(channel.awaitTermination(5, TimeUnit.SECONDS));
    assertTrue(server.awaitTermination(5, TimeUnit.SECONDS));
  }

  private ResolveResponse resolve(String name, String type) {
    return stub.resolve(ResolveRequest.newBuilder().setName(name).setType(type).build());
  }

  private static ResourceRecord record(String name, String type, int ttl, String value) {
    return ResourceRecord.newBuilder()
        .setName(name)
        .setType(type)
        .setTtl(ttl)
        .setValue(value)
        .build();
  }

  @Test
  void resolvesTheHealthyAddressesOfAService() {
    ResolveResponse response = resolve("backend-api.app.local", "A");

    assertEquals("NOERROR", response.getRcode());
    assertTrue(response.getAuthoritative());
    assertEquals(
        List.of(record("backend-api.app.local.", "A", 60, "10.0.0.1")), response.getAnswerList());
    assertEquals(List.of(), response.getAuthorityList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", " A "})
  void resolvesTypeAWhenTheTypeIsEmptyAndAcceptsAnyCase(String type) {
    ResolveResponse response = resolve("backend-api.app.local.", type);

    assertEquals(
        List.of("10.0.0.1"), response.getAnswerList().stream().map(r -> r.getValue()).toList());
  }

  @Test
  void resolvesSrvWithTheTargetsAddressesInAdditional() {
    ResolveResponse response = resolve("web.app.local", "SRV");

    assertEquals(
        List.of(record("web.app.local.", "SRV", 20, "1 1 8080 web-1.web.app.local.")),
        response.getAnswerList());
    assertEquals(
        List.of(record("web-1.web.app.local.", "A", 20, "10.0.1.1")), response.getAdditionalList());
  }

  @Test
  void resolvesAnUnknownNameToNxdomainWithTheSoa() {
    ResolveResponse response = resolve("nope.app.local", "A");

    assertEquals("NXDOMAIN", response.getRcode());
    assertTrue(response.getAuthoritative());
    assertEquals(List.of(), response.getAnswerList());
    assertEquals(
        List.of(
            record(
                "app.local.",
                "SOA",
                30,
                "ns.cloudmap-dns. hostmaster.cloudmap-dns. 3 7200 900 1209600 30")),
        response.getAuthorityList());
  }

  @Test
  void resolvesANameOutsideEveryZoneToRefused() {
    ResolveResponse response = resolve("example.com", "A");

    assertEquals("REFUSED", response.getRcode());
    assertFalse(response.getAuthoritative());
  }

  @ParameterizedTest
  @ValueSource(strings = {"BOGUS", "A A", "TYPE"})
  void rejectsAnUnknownTypeWithInvalidArgument(String type) {
    StatusRuntimeException error =
        assertThrows(StatusRuntimeException.class, () -> resolve("backend-api.app.local", type));

    assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
    assertTrue(error.getStatus().getDescription().startsWith("type:"));
  }

  @Test
  void rejectsAnInvalidNameWithInvalidArgument() {
    StatusRuntimeException error =
        assertThrows(
            StatusRuntimeException.class, () -> resolve("x".repeat(64) + ".app.local", "A"));

    assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
    assertTrue(error.getStatus().getDescription().startsWith("name:"));
  }

  @Test
  void listsTheZonesInCanonicalOrderWithTheirNameCounts() {
    List<Zone> zones = stub.listZones(ListZonesRequest.getDefaultInstance()).getZonesList();

    assertEquals(
        List.of(
            Zone.newBuilder().setName("app.local.").setNameCount(3).build(),
            Zone.newBuilder().setName("staging.app.local.").setNameCount(0).build(),
            Zone.newBuilder().setName("b.local.").setNameCount(1).build()),
        zones);
  }
}
