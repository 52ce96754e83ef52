package dev.cloudmapdns.server.app;

import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.CertificateUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate, key and client CA files behind the gRPC server's TLS, re-read into the key and
 * trust managers whenever one of them changed. A new certificate is taken only together with a key
 * that matches it, so a rotation caught half-written keeps the previous pair until the next check;
 * an unreadable file likewise keeps what was loaded, with one warning per change.
 */
final class TlsFiles implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(TlsFiles.class);
  private static final byte[] PROBE = "cloudmap-dns key check".getBytes();

  private final Path certFile;
  private final Path keyFile;
  private final Path clientCaFile;
  private final AdvancedTlsX509KeyManager keys;
  private final AdvancedTlsX509TrustManager trust;
  private List<Long> loaded = List.of();
  private List<Long> failed = List.of();

  /**
   * @param clientCaFile null without client authentication (then {@code trust} is null too)
   */
  TlsFiles(
      Path certFile,
      Path keyFile,
      Path clientCaFile,
      AdvancedTlsX509KeyManager keys,
      AdvancedTlsX509TrustManager trust) {
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.clientCaFile = clientCaFile;
    this.keys = keys;
    this.trust = trust;
  }

  /**
   * Loads the files now.
   *
   * @throws IOException or GeneralSecurityException when they cannot be used
   */
  void load() throws IOException, GeneralSecurityException {
    List<Long> stamps = stamps();
    X509Certificate[] chain = certificates(certFile);
    PrivateKey key;
    try (InputStream in = Files.newInputStream(keyFile)) {
      key = CertificateUtils.getPrivateKey(in);
    }
    if (chain.length == 0) {
      throw new GeneralSecurityException(certFile + " holds no certificate");
    }
    if (!matches(key, chain[0])) {
      throw new GeneralSecurityException(keyFile + " is not the key of " + certFile);
    }
    X509Certificate[] authorities = clientCaFile == null ? null : certificates(clientCaFile);
    if (authorities != null && authorities.length == 0) {
      throw new GeneralSecurityException(clientCaFile + " holds no certificate");
    }
    keys.updateIdentityCredentials(chain, key);
    if (authorities != null) {
      trust.updateTrustCredentials(authorities);
    }
    loaded = stamps;
  }

  /** Reloads when a file changed since the last load; never throws. */
  @Override
  public void run() {
    List<Long> stamps;
    try {
      stamps = stamps();
    } catch (IOException e) {
      stamps = List.of();
    }
    if (stamps.equals(loaded) || stamps.equals(failed)) {
      return;
    }
    try {
      load();
      failed = List.of();
      LOG.info("gRPC TLS: re-read {} (subject {})", certFile, subject());
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      failed = stamps;
      LOG.warn(
          "gRPC TLS: keeping the previous certificate, cannot use the changed files: {}",
          e.toString());
    }
  }

  private String subject() {
    X509Certificate[] chain = keys.getCertificateChain("default");
    return chain == null || chain.length == 0 ? "?" : chain[0].getSubjectX500Principal().getName();
  }

  private List<Long> stamps() throws IOException {
    Long ca = clientCaFile == null ? 0L : Files.getLastModifiedTime(clientCaFile).toMillis();
    return Arrays.asList(
        Files.getLastModifiedTime(certFile).toMillis(),
        Files.size(certFile),
        Files.getLastModifiedTime(keyFile).toMillis(),
        Files.size(keyFile),
        ca);
  }

  private static X509Certificate[] certificates(Path file)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      return CertificateUtils.getX509Certificates(in);
    }
  }

  private static boolean matches(PrivateKey key, X509Certificate certificate)
      throws GeneralSecurityException {
    String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(PROBE);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(PROBE);
    return verifier.verify(signature);
  }
}
