package dev.cloudmapdns.server.registry;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Who the registry pretends to be in ARNs (region and account), and how it mints ids: {@code ns-}
 * or {@code srv-} followed by 16 lower-case letters and digits, as Cloud Map does.
 */
public final class RegistryIdentity {
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final int ID_LENGTH = 16;

  private final String region;
  private final String account;
  private final SecureRandom random = new SecureRandom();

  public RegistryIdentity(String region, String account) {
    this.region = Objects.requireNonNull(region, "region");
    this.account = Objects.requireNonNull(account, "account");
  }

  public String region() {
    return region;
  }

  public String account() {
    return account;
  }

  String newNamespaceId() {
    return "ns-" + randomSuffix(ID_LENGTH);
  }

  String newServiceId() {
    return "srv-" + randomSuffix(ID_LENGTH);
  }

  /** Like Cloud Map's: 32 letters and digits, a dash, 8 more. */
  String newOperationId() {
    return randomSuffix(32) + "-" + randomSuffix(8);
  }

  String namespaceArn(String namespaceId) {
    return namespaceArn(namespaceId, region);
  }

  String namespaceArn(String namespaceId, String inRegion) {
    return arn(inRegion, "namespace/" + namespaceId);
  }

  String serviceArn(String serviceId) {
    return serviceArn(serviceId, region);
  }

  String serviceArn(String serviceId, String inRegion) {
    return arn(inRegion, "service/" + serviceId);
  }

  private String arn(String inRegion, String resource) {
    return "arn:aws:servicediscovery:" + inRegion + ":" + account + ":" + resource;
  }

  /** The region of an ARN this identity formed, or its own region for anything else. */
  public String regionOf(String arn) {
    if (arn != null && arn.startsWith("arn:")) {
      String[] parts = arn.split(":", 6);
      if (parts.length == 6 && !parts[3].isEmpty()) {
        return parts[3];
      }
    }
    return region;
  }

  /**
   * {@code length} characters of {@link #ALPHABET}, uniformly: bytes from one call to the secure
   * generator (a call per character made a seed file's 100,000 operation ids cost seconds), each
   * below 252 (7 × 36) taken modulo 36, the rest skipped.
   */
  private String randomSuffix(int length) {
    char[] chars = new char[length];
    byte[] bytes = new byte[length + 8];
    int filled = 0;
    while (filled < length) {
      random.nextBytes(bytes);
      for (int i = 0; i < bytes.length && filled < length; i++) {
        int value = bytes[i] & 0xFF;
        if (value < 252) {
          chars[filled++] = ALPHABET[value % ALPHABET.length];
        }
      }
    }
    return new String(chars);
  }
}
