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
    return arn("namespace/" + namespaceId);
  }

  String serviceArn(String serviceId) {
    return arn("service/" + serviceId);
  }

  private String arn(String resource) {
    return "arn:aws:servicediscovery:" + region + ":" + account + ":" + resource;
  }

  private String randomSuffix(int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(chars);
  }
}
