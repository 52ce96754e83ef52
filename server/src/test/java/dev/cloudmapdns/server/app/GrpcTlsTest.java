package dev.cloudmapdns.server.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.cloudmapdns.dns.testing.DnsQueries;
import dev.cloudmapdns.proto.coredns.DnsPacket;
import dev.cloudmapdns.proto.coredns.DnsServiceGrpc;
import dev.cloudmapdns.server.testing.TestCertificates;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * TLS and mutual TLS on the application's real gRPC port (Netty, loopback), with certificates made
 * in the test: CoreDNS's {@code tls CERT KEY CA} is the client this stands in for.
 */
class GrpcTlsTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  @TempDir Path dir;
  private final TestCertificates.Authority ca = TestCertificates.authority("cloudmap-test-ca");
  private final List<ManagedChannel> channels = new ArrayList<>();
  private EmbeddedServer server;
  private int grpcPort;
  private Path serverCert;
  private Path serverKey;
  private Path caFile;

  @BeforeEach
  void writeCertificates() throws IOException {
    serverCert = dir.resolve("tls.crt");
    serverKey = dir.resolve("tls.key");
    caFile = dir.resolve("ca.crt");
    ca.issueServer("cloudmap-dns").writeTo(serverCert, serverKey);
    ca.writeCertificate(caFile);
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  private void start(boolean requireClientCertificates) throws IOException {
    grpcPort = GrpcTestServer.freePort();
    Map<String, Object> properties = GrpcTestServer.properties(grpcPort);
    properties.put("cloudmap.grpc.tls.cert-file", serverCert.toString());
    properties.put("cloudmap.grpc.tls.key-file", serverKey.toString());
    properties.put("cloudmap.grpc.tls.reload-interval", "100ms");
    if (requireClientCertificates) {
      properties.put("cloudmap.grpc.tls.client-ca-file", caFile.toString());
    }
    server = ApplicationContext.run(EmbeddedServer.class, properties);
  }

  /** A client that trusts our CA and presents {@code client} (none when null). */
  private ManagedChannel channel(TestCertificates.Issued client, X509TrustManager trust)
      throws IOException {
    SslContextBuilder tls = GrpcSslContexts.forClient();
    if (trust != null) {
      tls.trustManager(trust);
    } else {
      tls.trustManager(caFile.toFile());
    }
    if (client != null) {
      Path cert = Files.createTempFile(dir, "client", ".crt");
      Path key = Files.createTempFile(dir, "client", ".key");
      client.writeTo(cert, key);
      tls.keyManager(cert.toFile(), key.toFile());
    }
    SslContext context = tls.build();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).sslContext(context).build();
    channels.add(channel);
    return channel;
  }

  private static Message query(ManagedChannel channel) throws IOException {
    DnsPacket reply =
        DnsServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
            .query(
                DnsPacket.newBuilder()
                    .setMsg(
                        ByteString.copyFrom(DnsQueries.query("nothing.example", Type.A).toWire()))
                    .build());
    return new Message(reply.getMsg().toByteArray());
  }

  @Test
  void answersAClientWhoseCertificateOurCaSigned() throws IOException {
    start(true);
    Message reply = query(channel(ca.issueClient("coredns"), null));
    assertEquals(Rcode.REFUSED, reply.getRcode(), "a DNS answer came back over mutual TLS");
  }

  @Test
  void refusesAClientWithoutACertificateAtTheHandshake() throws IOException {
    start(true);
    StatusRuntimeException refused =
        assertThrows(StatusRuntimeException.class, () -> query(channel(null, null)));
    assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(), refused.toString());
  }

  @Test
  void refusesAClientWhoseCertificateAnotherCaSigned() throws IOException {
    start(true);
    TestCertificates.Authority other = TestCertificates.authority("someone-else");
    StatusRuntimeException refused =
        assertThrows(
            StatusRuntimeException.class,
            () -> query(channel(other.issueClient("intruder"), null)));
    assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(), refused.toString());
  }

  @Test
  void refusesAPlaintextClient() throws IOException {
    start(true);
    ManagedChannel plaintext =
        NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    channels.add(plaintext);
    StatusRuntimeException refused =
        assertThrows(StatusRuntimeException.class, () -> query(plaintext));
    assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(), refused.toString());
  }

  @Test
  void withoutAClientCaAnswersClientsWithoutCertificates() throws IOException {
    start(false);
    assertEquals(Rcode.REFUSED, query(channel(null, null)).getRcode());
  }

  @Test
  void servesARotatedCertificateFromTheNextHandshakeOn() throws Exception {
    start(true);
    TestCertificates.Issued client = ca.issueClient("coredns");
    RecordingTrust trust = new RecordingTrust();
    query(channel(client, trust));
    assertEquals("CN=cloudmap-dns", trust.lastSubject());

    ca.issueServer("cloudmap-dns-rotated").writeTo(serverCert, serverKey);

    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (!"CN=cloudmap-dns-rotated".equals(trust.lastSubject())
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
      query(channel(client, trust)); // a new channel: a new handshake
    }
    assertEquals("CN=cloudmap-dns-rotated", trust.lastSubject());
  }

  @Test
  void refusesToStartWithACertificateButNoKey() {
    Map<String, Object> properties =
        Map.of(
            "micronaut.server.port",
            -1,
            "grpc.server.enabled",
            true,
            "grpc.server.port",
            0,
            "cloudmap.dns.listener-enabled",
            false,
            "cloudmap.store.type",
            "memory",
            "cloudmap.grpc.tls.cert-file",
            serverCert.toString());
    RuntimeException failure =
        assertThrows(
            RuntimeException.class,
            () -> ApplicationContext.run(EmbeddedServer.class, properties).close());
    assertTrue(
        causes(failure, ConfigurationException.class)
            .contains("cloudmap.grpc.tls.key-file is required with cloudmap.grpc.tls.cert-file"),
        failure.toString());
  }

  private static String causes(Throwable failure, Class<?> kind) {
    StringBuilder messages = new StringBuilder();
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (kind.isInstance(cause)) {
        messages.append(cause.getMessage()).append('\n');
      }
    }
    return messages.toString();
  }

  /** Trusts any server certificate and remembers the last one's subject (for rotation only). */
  private static final class RecordingTrust implements X509TrustManager {
    private final AtomicReference<String> subject = new AtomicReference<>();

    String lastSubject() {
      return subject.get();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      subject.set(chain[0].getSubjectX500Principal().getName());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
