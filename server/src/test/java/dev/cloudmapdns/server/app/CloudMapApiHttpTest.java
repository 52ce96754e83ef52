package dev.cloudmapdns.server.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The API through the real HTTP server of the application, started in-process on free loopback
 * ports: what a client sends on the wire, what it gets back, and that DNS sees each change at once.
 */
class CloudMapApiHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestApplication app;

  @TempDir static Path data;

  @BeforeAll
  static void start() {
    app =
        TestApplication.start(
            Map.of(
                "cloudmap.store.type",
                "sqlite",
                "cloudmap.store.file",
                data.resolve("cloudmap.db").toString(),
                "cloudmap.api.max-request-bytes",
                4096));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static HttpResponse<String> post(String operation, String body) throws Exception {
    return app.callApi(operation, body);
  }

  private static JsonNode ok(String operation, String body) throws Exception {
    HttpResponse<String> response = post(operation, body);
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(
        "application/x-amz-json-1.1", response.headers().firstValue("Content-Type").orElse(""));
    return JSON.readTree(response.body());
  }

  private static int dnsPort() {
    return app.dnsPort();
  }

  private static Message queryA(String name) throws IOException {
    SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
    resolver.setPort(dnsPort());
    return resolver.send(
        Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
  }

  @Test
  void everyMutationIsInDnsOnTheNextQuery() throws Exception {
    String operationId =
        ok("CreatePrivateDnsNamespace", "{\"Name\":\"http-test.local\",\"Vpc\":\"vpc-1\"}")
            .path("OperationId")
            .asText();
    String namespaceId =
        ok("GetOperation", "{\"OperationId\":\"" + operationId + "\"}")
            .path("Operation")
            .path("Targets")
            .path("NAMESPACE")
            .asText();
    String serviceId =
        ok(
                "CreateService",
                "{\"Name\":\"backend-api\",\"DnsConfig\":{\"NamespaceId\":\""
                    + namespaceId
                    + "\",\"DnsRecords\":[{\"Type\":\"A\",\"TTL\":60}]}}")
            .path("Service")
            .path("Id")
            .asText();
    assertEquals(Rcode.NOERROR, queryA("backend-api.http-test.local.").getRcode());
    assertEquals(0, queryA("backend-api.http-test.local.").getSection(Section.ANSWER).size());

    ok(
        "RegisterInstance",
        "{\"ServiceId\":\""
            + serviceId
            + "\",\"InstanceId\":\"i-1\",\"Attributes\":{\"AWS_INSTANCE_IPV4\":\"127.0.0.42\"}}");
    Message answer = queryA("backend-api.http-test.local.");
    assertEquals(1, answer.getSection(Section.ANSWER).size());
    assertEquals(
        "127.0.0.42",
        ((ARecord) answer.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
    assertEquals(60, answer.getSection(Section.ANSWER).get(0).getTTL());

    ok("DeregisterInstance", "{\"ServiceId\":\"" + serviceId + "\",\"InstanceId\":\"i-1\"}");
    assertEquals(0, queryA("backend-api.http-test.local.").getSection(Section.ANSWER).size());
  }

  @Test
  void answersErrorsInTheShapeTheSdksRead() throws Exception {
    HttpResponse<String> response = post("GetNamespace", "{\"Id\":\"ns-0000000000000000\"}");
    assertEquals(400, response.statusCode());
    assertEquals(
        "application/x-amz-json-1.1", response.headers().firstValue("Content-Type").orElse(""));
    JsonNode body = JSON.readTree(response.body());
    assertEquals("NamespaceNotFound", body.path("__type").asText());
    assertTrue(body.path("Message").asText().contains("ns-0000000000000000"));

    assertEquals(400, post("NoSuchThing", "{}").statusCode());
    assertEquals(
        "SerializationException",
        JSON.readTree(post("GetNamespace", "not json").body()).path("__type").asText());
  }

  @Test
  void refusesABodyOverTheConfiguredLimit() throws Exception {
    HttpResponse<String> response = post("GetNamespace", "{\"Id\":\"" + "x".repeat(5000) + "\"}");
    assertEquals(413, response.statusCode());
    assertEquals(
        "RequestEntityTooLargeException", JSON.readTree(response.body()).path("__type").asText());
  }

  @Test
  void acceptsAnyHostHeaderAsTheClientsSendForDiscovery() throws Exception {
    byte[] body =
        "{\"NamespaceName\":\"no-such.local\",\"ServiceName\":\"x\"}"
            .getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), app.port())) {
      OutputStream out = socket.getOutputStream();
      String head =
          "POST / HTTP/1.1\r\n"
              + "Host: data-localhost:5373\r\n"
              + "Content-Type: application/x-amz-json-1.1\r\n"
              + "X-Amz-Target: Route53AutoNaming_v20170314.DiscoverInstances\r\n"
              + "Content-Length: "
              + body.length
              + "\r\n"
              + "Connection: close\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      String reply = readAll(socket.getInputStream());
      assertTrue(reply.startsWith("HTTP/1.1 400"), reply);
      assertTrue(reply.contains("NamespaceNotFound"), reply);
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    in.transferTo(buffer);
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
