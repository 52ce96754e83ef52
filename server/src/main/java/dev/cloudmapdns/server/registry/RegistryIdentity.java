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
    return "ns-" + randomSuffix();
  }

  String newServiceId() {
    return "srv-" + randomSuffix();
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

  private String randomSuffix() {
    char[] chars = new char[ID_LENGTH];
    for (int i = 0; i < ID_LENGTH; i++) {
      chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(chars);
  }
}
