package dev.cloudmapdns.server.app;

import com.google.protobuf.UnsafeByteOperations;
import dev.cloudmapdns.proto.coredns.DnsPacket;
import dev.cloudmapdns.proto.coredns.DnsServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.http.server.netty.NettyEmbeddedServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What {@code --exit-when-started} does once every server listens: one request on each edge (a
 * {@code /health}, a Cloud Map API read, a DNS query over UDP, a gRPC {@code Query}), so that a
 * class-data archive written by this run ({@code -XX:ArchiveClassesAtExit}) holds the classes of
 * serving as well as those of starting. A later start that uses the archive then answers its first
 * {@code /health}, which is what readiness waits for, without loading them. Best effort: a request
 * that fails (a gRPC port that wants TLS, a listener turned off) is logged and skipped.
 */
final class TrainingRun {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);
  private static final int TIMEOUT_MILLIS = 10_000;

  private TrainingRun() {}

  static void serveOnce(ApplicationContext context) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    context
        .findBean(NettyEmbeddedServer.class)
        .ifPresent(
            http -> {
              attempt("GET /health", () -> get(http.getPort(), "/health"));
              attempt("ListNamespaces", () -> listNamespaces(http.getPort()));
            });
    context
        .findBean(DnsListenerLifecycle.class)
        .ifPresent(dns -> attempt("DNS over UDP", () -> udpQuery(loopback, dns.port())));
    context
        .findBean(GrpcEmbeddedServer.class)
        .ifPresent(grpc -> attempt("gRPC Query", () -> grpcQuery(grpc.getPort())));
  }

  private interface Request {
    void send() throws Exception;
  }

  private static void attempt(String what, Request request) {
    try {
      request.send();
    } catch (Exception e) {
      LOG.info("training run: {} failed, skipped: {}", what, e.toString());
    }
  }

  private static void get(int port, String path) throws IOException {
    HttpURLConnection connection = open(port, path);
    drain(connection);
  }

  private static void listNamespaces(int port) throws IOException {
    HttpURLConnection connection = open(port, "/");
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("Content-Type", "application/x-amz-json-1.1");
    connection.setRequestProperty("X-Amz-Target", "Route53AutoNaming_v20170314.ListNamespaces");
    try (OutputStream body = connection.getOutputStream()) {
      body.write("{}".getBytes(StandardCharsets.UTF_8));
    }
    drain(connection);
  }

  private static HttpURLConnection open(int port, String path) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
    connection.setConnectTimeout(TIMEOUT_MILLIS);
    connection.setReadTimeout(TIMEOUT_MILLIS);
    return connection;
  }

  private static void drain(HttpURLConnection connection) throws IOException {
    int status = connection.getResponseCode();
    InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream();
    if (body != null) {
      try (body) {
        body.readAllBytes();
      }
    }
  }

  private static byte[] query() throws IOException {
    return Message.newQuery(
            Record.newRecord(Name.fromString("training.invalid."), Type.A, DClass.IN))
        .toWire();
  }

  private static void udpQuery(InetAddress address, int port) throws IOException {
    byte[] query = query();
    try (DatagramSocket socket = new DatagramSocket(0, address)) {
      socket.setSoTimeout(TIMEOUT_MILLIS);
      socket.send(new DatagramPacket(query, query.length, address, port));
      socket.receive(new DatagramPacket(new byte[512], 512));
    }
  }

  private static void grpcQuery(int port) throws Exception {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      DnsServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
          .query(DnsPacket.newBuilder().setMsg(UnsafeByteOperations.unsafeWrap(query())).build());
    } finally {
      channel.shutdownNow().awaitTermination(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }
  }
}
