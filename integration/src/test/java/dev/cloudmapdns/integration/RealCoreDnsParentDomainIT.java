package dev.cloudmapdns.integration;

import static dev.cloudmapdns.integration.CoreDnsProcess.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cloudmapdns.server.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The zero-touch deployment through a real CoreDNS ({@code COREDNS_BIN}): one parent-domain block,
 * {@code local { grpc . … }}, written before any namespace exists, over mutual TLS with
 * certificates made here. A namespace created through the API afterwards answers through it, with
 * no change to CoreDNS; a block whose {@code tls} has no client certificate is refused by our
 * server at the handshake, so CoreDNS answers SERVFAIL.
 */
class RealCoreDnsParentDomainIT {
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);
  private static final InstalledTool COREDNS =
      InstalledTool.fromEnvironment(
          "COREDNS_BIN",
          "Set it to a CoreDNS release binary (1.10.1 or later) to run the tests against a real"
              + " CoreDNS.");

  @TempDir Path directory;
  private CloudMapDnsProcess server;
  private CoreDnsProcess coredns;

  @BeforeEach
  void start() throws Exception {
    COREDNS.assumePresent();
    TestCertificates.Authority ca = TestCertificates.authority("cloudmap-it-ca");
    ca.writeCertificate(directory.resolve("ca.crt"));
    ca.issueServer("cloudmap-dns")
        .writeTo(directory.resolve("server.crt"), directory.resolve("server.key"));
    ca.issueClient("coredns")
        .writeTo(directory.resolve("client.crt"), directory.resolve("client.key"));
    server =
        CloudMapDnsProcess.start(
            "--store=memory",
            "--cloudmap.grpc.tls.cert-file=" + directory.resolve("server.crt"),
            "--cloudmap.grpc.tls.key-file=" + directory.resolve("server.key"),
            "--cloudmap.grpc.tls.client-ca-file=" + directory.resolve("ca.crt"));
    int port = CoreDnsProcess.freeDnsPort();
    String corefile =
        """
        local:%1$d {
            bind 127.0.0.1
            grpc . 127.0.0.1:%2$d {
                tls %3$s %4$s %5$s
                tls_servername localhost
            }
        }
        nocert.test:%1$d {
            bind 127.0.0.1
            grpc . 127.0.0.1:%2$d {
                tls %5$s
                tls_servername localhost
            }
        }
        """
            .formatted(
                port,
                server.grpcPort,
                directory.resolve("client.crt"),
                directory.resolve("client.key"),
                directory.resolve("ca.crt"));
    coredns = CoreDnsProcess.start(COREDNS.path().get(), directory, port, corefile);
  }

  @AfterEach
  void stop() {
    if (coredns != null) {
      coredns.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void answersANamespaceCreatedAfterCoreDnsStartedThroughTheParentBlock() throws Exception {
    CloudMapHttp api = new CloudMapHttp(server.httpPort);
    String operation =
        api.call(
                "CreatePrivateDnsNamespace",
                Map.of("Name", "later.local", "Vpc", "vpc-1", "CreatorRequestId", "it-1"))
            .get("OperationId")
            .asText();
    String namespaceId =
        api.call("GetOperation", Map.of("OperationId", operation))
            .get("Operation")
            .get("Targets")
            .get("NAMESPACE")
            .asText();
    String serviceId = api.createDnsService(namespaceId, "web", 30).get("Id").asText();
    api.registerInstance(serviceId, "web-1", null, Map.of("AWS_INSTANCE_IPV4", "10.1.2.3"));

    Message reply = query("web.later.local.");
    assertEquals(Rcode.NOERROR, reply.getRcode(), reply::toString);
    assertEquals(
        List.of("10.1.2.3"),
        reply.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList());
  }

  @Test
  void aClientWithoutACertificateIsRefusedSoCoreDnsAnswersServfail() throws Exception {
    assertEquals(Rcode.SERVFAIL, query("anything.nocert.test.").getRcode());
  }

  private Message query(String name) throws Exception {
    SimpleResolver resolver = new SimpleResolver(LOOPBACK);
    resolver.setPort(coredns.port);
    resolver.setTimeout(QUERY_TIMEOUT);
    return resolver.send(
        Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
  }
}
