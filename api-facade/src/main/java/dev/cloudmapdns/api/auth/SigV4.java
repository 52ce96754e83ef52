package dev.cloudmapdns.api.auth;

import dev.cloudmapdns.api.ApiRequest;
import dev.cloudmapdns.api.protocol.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 as the SDKs sign JSON requests ({@code Authorization: AWS4-HMAC-SHA256
 * Credential=KEY/DATE/REGION/SERVICE/aws4_request, SignedHeaders=..., Signature=...}). Reading the
 * region from the credential scope needs no secret; verification is opt-in and refuses with the
 * codes AWS uses: MissingAuthenticationTokenException (no signature), IncompleteSignatureException
 * (a malformed one), UnrecognizedClientException (an unknown access key) and
 * InvalidSignatureException (a wrong or expired one).
 */
public final class SigV4 {
  /** How far a request's X-Amz-Date may be from our clock, as AWS allows. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(15);

  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request\\s*,"
              + "\\s*SignedHeaders=([^,\\s]+)\\s*,\\s*Signature=([0-9a-f]{64})\\s*");
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Map<String, String> secrets;
  private final Clock clock;

  /**
   * @param secrets access key id to secret access key; empty means "do not verify"
   */
  public SigV4(Map<String, String> secrets, Clock clock) {
    this.secrets = Map.copyOf(secrets);
    this.clock = clock;
  }

  public boolean verifies() {
    return !secrets.isEmpty();
  }

  /** The region of the request's credential scope, if it carries a SigV4 Authorization. */
  public static Optional<String> region(ApiRequest request) {
    return credentialPart(request, 3);
  }

  /** The access key id that a well-formed SigV4 Authorization header names, if any. */
  public static Optional<String> accessKeyId(ApiRequest request) {
    return credentialPart(request, 1);
  }

  private static Optional<String> credentialPart(ApiRequest request, int group) {
    String header = request.header("Authorization");
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = AUTHORIZATION.matcher(header);
    return m.matches() ? Optional.of(m.group(group)) : Optional.empty();
  }

  /**
   * Checks the request's signature when verification is on.
   *
   * @throws ApiException with AWS's code when it is missing, malformed, unknown, wrong or expired
   */
  public void verify(ApiRequest request) {
    if (!verifies()) {
      return;
    }
    String header = request.header("Authorization");
    if (header == null) {
      throw refused("MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    Matcher m = AUTHORIZATION.matcher(header);
    if (!m.matches()) {
      throw refused(
          "IncompleteSignatureException",
          "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'"
              + " of an AWS4-HMAC-SHA256 signature");
    }
    String accessKey = m.group(1);
    String scopeDate = m.group(2);
    String scope = scopeDate + "/" + m.group(3) + "/" + m.group(4) + "/aws4_request";
    List<String> signedHeaders = List.of(m.group(5).split(";"));
    String signature = m.group(6);

    String amzDate = request.header("X-Amz-Date");
    if (amzDate == null || !signedHeaders.contains("host")) {
      throw refused(
          "IncompleteSignatureException", "The request must sign the host and carry X-Amz-Date");
    }
    Instant signedAt;
    try {
      signedAt = Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      throw refused("IncompleteSignatureException", "X-Amz-Date '" + amzDate + "' is malformed");
    }
    Instant now = clock.instant();
    if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
      throw refused(
          "InvalidSignatureException",
          "Signature expired: "
              + amzDate
              + " is now earlier than "
              + AMZ_DATE.format(now.minus(MAX_SKEW))
              + " ("
              + AMZ_DATE.format(now)
              + " - 15 min.)");
    }
    String secret = secrets.get(accessKey);
    if (secret == null) {
      throw refused(
          "UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    if (!amzDate.startsWith(scopeDate)) {
      throw refused(
          "InvalidSignatureException", "The credential scope date does not match X-Amz-Date");
    }
    String expected =
        signature(
            request, signedHeaders, amzDate, scope, secret, m.group(3), m.group(4), scopeDate);
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII))) {
      throw refused(
          "InvalidSignatureException",
          "The request signature we calculated does not match the signature you provided."
              + " Check your AWS Secret Access Key and signing method.");
    }
  }

  private static String signature(
      ApiRequest request,
      List<String> signedHeaders,
      String amzDate,
      String scope,
      String secret,
      String region,
      String service,
      String scopeDate) {
    List<String> canonicalHeaders = new ArrayList<>();
    for (String name : signedHeaders) {
      String value = request.header(name);
      if (value == null) {
        throw refused(
            "IncompleteSignatureException", "Signed header '" + name + "' is not in the request");
      }
      canonicalHeaders.add(
          name.toLowerCase(Locale.ROOT) + ":" + value.strip().replaceAll("\\s+", " "));
    }
    String canonicalRequest =
        String.join(
            "\n",
            request.method(),
            request.path(),
            "",
            String.join("\n", canonicalHeaders) + "\n",
            String.join(";", signedHeaders),
            hex(sha256(request.body())));
    String stringToSign =
        String.join(
            "\n",
            "AWS4-HMAC-SHA256",
            amzDate,
            scope,
            hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), scopeDate);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    return hex(hmac(key, stringToSign));
  }

  private static ApiException refused(String code, String message) {
    return new ApiException(code, message);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
