package dev.cloudmapdns.server.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made in the test, in memory (EC P-256, valid for a day), written as the PEM files a
 * server or CoreDNS reads: a CA, and leaf certificates it signs for servers (SAN 127.0.0.1 and
 * localhost) and clients.
 *
 * <pre>{@code
 * TestCertificates.Authority ca = TestCertificates.authority("test-ca");
 * TestCertificates.Issued server = ca.issueServer("cloudmap-dns");
 * server.writeTo(dir.resolve("tls.crt"), dir.resolve("tls.key"));
 * ca.writeCertificate(dir.resolve("ca.crt"));
 * }</pre>
 */
public final class TestCertificates {
  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  private TestCertificates() {}

  /** A certificate and its private key. */
  public record Issued(X509Certificate certificate, PrivateKey key) {
    /** The certificate as PEM to {@code certFile}, the key as PKCS#8 PEM to {@code keyFile}. */
    public void writeTo(Path certFile, Path keyFile) throws IOException {
      writeCertificate(certificate, certFile);
      Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
    }
  }

  /** A certificate authority that signs leaf certificates. */
  public record Authority(Issued self) {
    public Issued issueServer(String commonName) {
      return issue(commonName, KeyPurposeId.id_kp_serverAuth);
    }

    public Issued issueClient(String commonName) {
      return issue(commonName, KeyPurposeId.id_kp_clientAuth);
    }

    public void writeCertificate(Path file) throws IOException {
      TestCertificates.writeCertificate(self.certificate(), file);
    }

    private Issued issue(String commonName, KeyPurposeId purpose) {
      try {
        KeyPair keys = newKeys();
        X509v3CertificateBuilder builder =
            builder(
                    X500Name.getInstance(self.certificate().getSubjectX500Principal().getEncoded()),
                    commonName,
                    keys)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                .addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(
                        new GeneralName[] {
                          new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                          new GeneralName(GeneralName.dNSName, "localhost")
                        }));
        return new Issued(sign(builder, self.key()), keys.getPrivate());
      } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A new self-signed CA. */
  public static Authority authority(String commonName) {
    try {
      KeyPair keys = newKeys();
      X509v3CertificateBuilder builder =
          builder(new X500Name("CN=" + commonName), commonName, keys)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new Authority(new Issued(sign(builder, keys.getPrivate()), keys.getPrivate()));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair newKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, String subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIALS.incrementAndGet()),
        Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(Duration.ofDays(1))),
        new X500Name("CN=" + subject),
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
  }

  private static void writeCertificate(X509Certificate certificate, Path file) throws IOException {
    try {
      Files.writeString(
          file, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IOException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
