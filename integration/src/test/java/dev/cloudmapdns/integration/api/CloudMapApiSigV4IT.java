package dev.cloudmapdns.integration.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.ServiceDiscoveryException;

/**
 * Opt-in SigV4 verification, tested with the AWS SDK's real signer: a correct signature passes, a
 * wrong secret, an unknown key, a missing or an expired signature are refused with AWS's codes.
 */
class CloudMapApiSigV4IT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ApiServerProcess server;

  @BeforeAll
  static void start() throws Exception {
    server =
        ApiServerProcess.start(
            "sigv4", "--cloudmap.api.sigv4-credentials=AKIDLOCALTEST:local-secret-key");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static ServiceDiscoveryClient client(String accessKey, String secret) {
    return ServiceDiscoveryClient.builder()
        .endpointOverride(URI.create(server.endpoint()))
        .region(Region.EU_WEST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
        .overrideConfiguration(
            c ->
                c.retryStrategy(AwsRetryStrategy.doNotRetry())
                    .putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
        .build();
  }

  @Test
  void acceptsCorrectlySignedRequests() {
    try (ServiceDiscoveryClient sd = client("AKIDLOCALTEST", "local-secret-key")) {
      String operationId = sd.createHttpNamespace(b -> b.name("signed")).operationId();
      assertEquals(
          "SUCCESS", sd.getOperation(b -> b.operationId(operationId)).operation().statusAsString());
      assertThrows(
          NamespaceNotFoundException.class,
          () -> sd.discoverInstances(b -> b.namespaceName("absent").serviceName("x")));
    }
  }

  @Test
  void refusesAWrongSecret() {
    try (ServiceDiscoveryClient sd = client("AKIDLOCALTEST", "wrong-secret")) {
      ServiceDiscoveryException e =
          assertThrows(ServiceDiscoveryException.class, () -> sd.listNamespaces(b -> {}));
      assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
    }
  }

  @Test
  void refusesAnUnknownAccessKey() {
    try (ServiceDiscoveryClient sd = client("AKIDSOMEONEELSE", "local-secret-key")) {
      ServiceDiscoveryException e =
          assertThrows(ServiceDiscoveryException.class, () -> sd.listNamespaces(b -> {}));
      assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
    }
  }

  @Test
  void refusesUnsignedAndExpiredRequests() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest.Builder base =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/"))
            .header("Content-Type", "application/x-amz-json-1.1")
            .header("X-Amz-Target", "Route53AutoNaming_v20170314.ListNamespaces")
            .POST(HttpRequest.BodyPublishers.ofString("{}"));
    HttpResponse<String> unsigned = http.send(base.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, unsigned.statusCode());
    assertEquals(
        "MissingAuthenticationTokenException",
        JSON.readTree(unsigned.body()).path("__type").asText());

    Instant old = Instant.now().minus(1, ChronoUnit.HOURS);
    String amzDate =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(old);
    HttpResponse<String> expired =
        http.send(
            base.header("X-Amz-Date", amzDate)
                .header(
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIDLOCALTEST/"
                        + amzDate.substring(0, 8)
                        + "/us-east-1/servicediscovery/aws4_request, SignedHeaders=host;x-amz-date,"
                        + " Signature="
                        + "0".repeat(64))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(expired.body());
    assertEquals("InvalidSignatureException", body.path("__type").asText());
    assertTrue(body.path("Message").asText().startsWith("Signature expired"), expired.body());
  }
}
