package dev.cloudmapdns.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cloudmapdns.api.ApiRequest;
import dev.cloudmapdns.api.protocol.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Refusals that need no real signature; correct signatures are tested with the SDK's signer. */
class SigV4Test {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private static final SigV4 VERIFYING =
      new SigV4(Map.of("AKIDTEST", "secret"), Clock.fixed(NOW, ZoneOffset.UTC));

  private static ApiRequest signed(String accessKey, String amzDate) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "localhost:5373");
    headers.put("X-Amz-Date", amzDate);
    headers.put(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential="
            + accessKey
            + "/"
            + amzDate.substring(0, 8)
            + "/eu-west-1/servicediscovery/aws4_request, SignedHeaders=host;x-amz-date,"
            + " Signature="
            + "a".repeat(64));
    return ApiRequest.post(headers, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String refusal(SigV4 sigV4, ApiRequest request) {
    return assertThrows(ApiException.class, () -> sigV4.verify(request)).code();
  }

  @Test
  void acceptsAnythingWhenNoCredentialsAreConfigured() {
    SigV4 open = new SigV4(Map.of(), Clock.systemUTC());
    open.verify(ApiRequest.post(Map.of(), new byte[0]));
    open.verify(signed("anyone", "20200101T000000Z"));
  }

  @Test
  void readsTheRegionFromTheCredentialScope() {
    assertEquals(Optional.of("eu-west-1"), SigV4.region(signed("AKIDTEST", "20261125T120000Z")));
    assertEquals(Optional.empty(), SigV4.region(ApiRequest.post(Map.of(), new byte[0])));
  }

  @Test
  void refusesWithTheCodesAwsUses() {
    assertEquals(
        "MissingAuthenticationTokenException",
        refusal(VERIFYING, ApiRequest.post(Map.of(), new byte[0])));
    assertEquals(
        "IncompleteSignatureException",
        refusal(VERIFYING, ApiRequest.post(Map.of("Authorization", "Bearer x"), new byte[0])));
    assertEquals(
        "UnrecognizedClientException", refusal(VERIFYING, signed("AKIDOTHER", "20261125T120000Z")));
    assertEquals(
        "InvalidSignatureException", refusal(VERIFYING, signed("AKIDTEST", "20261125T120000Z")));
    ApiException expired =
        assertThrows(
            ApiException.class, () -> VERIFYING.verify(signed("AKIDTEST", "20261125T113000Z")));
    assertEquals("InvalidSignatureException", expired.code());
    assertTrue(expired.getMessage().startsWith("Signature expired"));
    assertEquals(
        "InvalidSignatureException", refusal(VERIFYING, signed("AKIDTEST", "20261125T121600Z")));
  }
}
