package dev.cloudmapdns.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.dns.testing.CoreDnsLikeClient;
import dev.cloudmapdns.dns.testing.DnsQueries;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The packaged server reached the way CoreDNS's grpc plugin reaches it, plus the gRPC services that
 * grpcurl users see (reflection and health).
 */
class CoreDnsClientIT {
  private static CloudMapDnsProcess server;
  private static ManagedChannel channel;
  private static CoreDnsLikeClient coredns;

  @BeforeAll
  static void start() throws Exception {
    server = CloudMapDnsProcess.start("--seed", DigIT.seed().toString());
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort).usePlaintext().build();
    coredns = new CoreDnsLikeClient(channel);
  }

  @AfterAll
  static void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void answersBothInstancesForA() {
    Message reply = coredns.query(DnsQueries.query("backend-api.app.local.", Type.A));
    assertEquals(Rcode.NOERROR, reply.getRcode());
    assertEquals(
        Set.of("10.0.0.1", "10.0.0.2"),
        reply.getSection(Section.ANSWER).stream()
            .map(Record::rdataToString)
            .collect(Collectors.toSet()));
  }

  @Test
  void answersSrvWithPortAndTargets() {
    Message reply = coredns.query(DnsQueries.query("backend-api.app.local.", Type.SRV));
    List<Record> answers = reply.getSection(Section.ANSWER);
    assertEquals(2, answers.size());
    Set<String> targets = new HashSet<>();
    for (Record record : answers) {
      SRVRecord srv = (SRVRecord) record;
      assertEquals(8080, srv.getPort());
      targets.add(srv.getTarget().toString());
    }
    assertEquals(
        Set.of("backend-1.backend-api.app.local.", "backend-2.backend-api.app.local."), targets);
    assertEquals(
        2,
        reply.getSection(Section.ADDITIONAL).stream().filter(r -> r.getType() == Type.A).count());
  }

  @Test
  void answersNxdomainWithTheSoaForAnUnknownName() {
    Message reply = coredns.query(DnsQueries.query("nope.app.local.", Type.A));
    assertEquals(Rcode.NXDOMAIN, reply.getRcode());
    List<Record> authority = reply.getSection(Section.AUTHORITY);
    assertEquals(1, authority.size());
    assertEquals(Type.SOA, authority.get(0).getType());
  }

  @Test
  void answersTheRootNsProbeWithADnsReply() {
    CoreDnsLikeClient.Exchange exchange = coredns.exchange(DnsQueries.query(".", Type.NS));
    assertEquals(CoreDnsLikeClient.Outcome.ANSWERED, exchange.outcome());
    assertEquals(Rcode.REFUSED, exchange.reply().getRcode());
  }

  @Test
  void reflectionListsEveryService() throws Exception {
    CompletableFuture<Set<String>> names = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse response) {
                    names.complete(
                        response.getListServicesResponse().getServiceList().stream()
                            .map(ServiceResponse::getName)
                            .collect(Collectors.toSet()));
                  }

                  @Override
                  public void onError(Throwable t) {
                    names.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    Set<String> services = names.get(10, TimeUnit.SECONDS);
    requests.onCompleted();
    assertTrue(
        services.containsAll(
            Set.of(
                "coredns.dns.DnsService",
                "cloudmapdns.v1.DnsDebug",
                "grpc.health.v1.Health",
                "grpc.reflection.v1.ServerReflection")),
        services.toString());
  }

  @Test
  void healthServiceReportsServing() {
    HealthCheckResponse response =
        HealthGrpc.newBlockingStub(channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .check(HealthCheckRequest.newBuilder().build());
    assertEquals(HealthCheckResponse.ServingStatus.SERVING, response.getStatus());
  }
}
