package dev.cloudmapdns.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.cloudmapdns.proto.v1.ListZonesResponse;
import dev.cloudmapdns.proto.v1.ResolveResponse;
import dev.cloudmapdns.proto.v1.ResourceRecord;
import io.grpc.health.v1.HealthCheckResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The grpcurl commands of the README's tour and of docs/coredns.md, run with a real grpcurl ({@code
 * GRPCURL_BIN}) against the packaged server seeded with the README's example registry. Replies are
 * read back into our own messages, so a test fails if grpcurl's JSON does not say what it should.
 */
class GrpcurlIT {
  private static final InstalledTool GRPCURL =
      InstalledTool.fromEnvironment(
          "GRPCURL_BIN",
          "Set it to a grpcurl binary (1.9 or later) to check the README's grpcurl commands;"
              + " use a release binary (integration/README.md).");

  private static CloudMapDnsProcess server;
  private static Grpcurl grpcurl;
  private static String address;

  @BeforeAll
  static void start() throws Exception {
    if (GRPCURL.path().isEmpty()) {
      return; // every test is skipped, with the reason, by requireGrpcurl()
    }
    server = CloudMapDnsProcess.start("--seed", CloudMapDnsProcess.exampleSeed().toString());
    grpcurl = new Grpcurl(GRPCURL.path().get());
    address = "127.0.0.1:" + server.grpcPort;
  }

  @BeforeEach
  void requireGrpcurl() {
    GRPCURL.assumePresent();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void listShowsEveryServiceThroughReflection() throws Exception {
    String output = grpcurl.run("-plaintext", address, "list").succeeded();
    Set<String> services =
        Arrays.stream(output.split("\n")).map(String::trim).collect(Collectors.toSet());
    assertTrue(
        services.containsAll(
            Set.of(
                "coredns.dns.DnsService",
                "cloudmapdns.v1.DnsDebug",
                "grpc.health.v1.Health",
                "grpc.reflection.v1.ServerReflection")),
        output);
  }

  @Test
  void describeShowsTheDebugMethods() throws Exception {
    String output =
        grpcurl.run("-plaintext", address, "describe", "cloudmapdns.v1.DnsDebug").succeeded();
    assertTrue(output.contains("rpc Resolve ( .cloudmapdns.v1.ResolveRequest )"), output);
    assertTrue(output.contains("rpc ListZones ( .cloudmapdns.v1.ListZonesRequest )"), output);
  }

  @Test
  void resolveReturnsTheSrvRecordsAsJson() throws Exception {
    String output =
        grpcurl
            .run(
                "-plaintext",
                "-d",
                "{\"name\":\"backend-api.app.local\",\"type\":\"SRV\"}",
                address,
                "cloudmapdns.v1.DnsDebug/Resolve")
            .succeeded();
    ResolveResponse response = parse(output, ResolveResponse.newBuilder()).build();
    assertEquals("NOERROR", response.getRcode(), output);
    assertTrue(response.getAuthoritative(), output);
    assertEquals(
        Set.of(
            "backend-api.app.local. SRV 60 1 1 8080 backend-1.backend-api.app.local.",
            "backend-api.app.local. SRV 60 1 1 8080 backend-2.backend-api.app.local."),
        records(response.getAnswerList()),
        output);
    assertEquals(
        Set.of(
            "backend-1.backend-api.app.local. A 60 10.0.0.1",
            "backend-2.backend-api.app.local. A 60 10.0.0.2"),
        records(response.getAdditionalList()),
        output);
  }

  @Test
  void resolveOfTypeAReturnsTheAddresses() throws Exception {
    String output =
        grpcurl
            .run(
                "-plaintext",
                "-d",
                "{\"name\":\"backend-api.app.local\",\"type\":\"A\"}",
                address,
                "cloudmapdns.v1.DnsDebug/Resolve")
            .succeeded();
    ResolveResponse response = parse(output, ResolveResponse.newBuilder()).build();
    assertEquals(
        Set.of("backend-api.app.local. A 60 10.0.0.1", "backend-api.app.local. A 60 10.0.0.2"),
        records(response.getAnswerList()),
        output);
  }

  @Test
  void resolveRejectsAnUnknownTypeWithInvalidArgument() throws Exception {
    Grpcurl.Result result =
        grpcurl.run(
            "-plaintext",
            "-d",
            "{\"name\":\"backend-api.app.local\",\"type\":\"BOGUS\"}",
            address,
            "cloudmapdns.v1.DnsDebug/Resolve");
    assertEquals(64 + 3, result.exitCode(), result::toString); // 64 + INVALID_ARGUMENT
    assertTrue(result.stderr().contains("Code: InvalidArgument"), result::toString);
  }

  @Test
  void listZonesShowsTheExampleNamespace() throws Exception {
    String output =
        grpcurl.run("-plaintext", address, "cloudmapdns.v1.DnsDebug/ListZones").succeeded();
    ListZonesResponse response = parse(output, ListZonesResponse.newBuilder()).build();
    assertEquals(1, response.getZonesCount(), output);
    assertEquals("app.local.", response.getZones(0).getName(), output);
  }

  @Test
  void healthCheckSaysServing() throws Exception {
    String output = grpcurl.run("-plaintext", address, "grpc.health.v1.Health/Check").succeeded();
    HealthCheckResponse response = parse(output, HealthCheckResponse.newBuilder()).build();
    assertEquals(HealthCheckResponse.ServingStatus.SERVING, response.getStatus(), output);
  }

  /** Reads grpcurl's JSON into {@code builder}, as protobuf's own JSON parser understands it. */
  private static <B extends Message.Builder> B parse(String json, B builder)
      throws InvalidProtocolBufferException {
    JsonFormat.parser().merge(json, builder);
    return builder;
  }

  private static Set<String> records(List<ResourceRecord> records) {
    return records.stream()
        .map(r -> r.getName() + " " + r.getType() + " " + r.getTtl() + " " + r.getValue())
        .collect(Collectors.toSet());
  }
}
