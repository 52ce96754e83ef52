package dev.cloudmapdns.server.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cloudmapdns.server.testing.TestCertificates;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the TLS files are re-read, and what a half-written rotation leaves in use. */
class TlsFilesTest {
  @TempDir Path dir;
  private final TestCertificates.Authority ca = TestCertificates.authority("files-ca");
  private final AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
  private Path cert;
  private Path key;
  private Path caFile;
  private TlsFiles files;
  private long clock = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

  @BeforeEach
  void loadTheFirstPair() throws Exception {
    cert = dir.resolve("tls.crt");
    key = dir.resolve("tls.key");
    caFile = dir.resolve("ca.crt");
    ca.writeCertificate(caFile);
    write(ca.issueServer("first"), true, true);
    AdvancedTlsX509TrustManager trust =
        AdvancedTlsX509TrustManager.newBuilder()
            .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
            .build();
    files = new TlsFiles(cert, key, caFile, keys, trust);
    files.load();
  }

  /** Writes the parts asked for, each with a later modification time than anything before. */
  private void write(TestCertificates.Issued issued, boolean certificate, boolean privateKey)
      throws Exception {
    Path newCert = dir.resolve("new.crt");
    Path newKey = dir.resolve("new.key");
    issued.writeTo(newCert, newKey);
    if (certificate) {
      Files.move(newCert, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.setLastModifiedTime(cert, FileTime.fromMillis(clock += 1000));
    }
    if (privateKey) {
      Files.move(newKey, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.setLastModifiedTime(key, FileTime.fromMillis(clock += 1000));
    }
  }

  private String served() {
    return keys.getCertificateChain("default")[0].getSubjectX500Principal().getName();
  }

  @Test
  void rereadsThePairWhenBothFilesChanged() throws Exception {
    write(ca.issueServer("second"), true, true);
    files.run();
    assertEquals("CN=second", served());
  }

  @Test
  void keepsThePreviousPairWhileOnlyTheCertificateIsNew() throws Exception {
    write(ca.issueServer("second"), true, false);
    files.run();
    assertEquals("CN=first", served(), "the new certificate does not match the old key");

    write(ca.issueServer("third"), true, true);
    files.run();
    assertEquals("CN=third", served());
  }

  @Test
  void keepsThePreviousPairWhenAFileIsUnreadable() throws Exception {
    Files.writeString(key, "not a key");
    Files.setLastModifiedTime(key, FileTime.fromMillis(clock += 1000));
    files.run();
    assertEquals("CN=first", served());
  }

  @Test
  void refusesAKeyThatIsNotTheCertificatesAtStartUp() throws Exception {
    write(ca.issueServer("second"), true, false);
    TlsFiles mismatched = new TlsFiles(cert, key, null, new AdvancedTlsX509KeyManager(), null);
    GeneralSecurityException e = assertThrows(GeneralSecurityException.class, mismatched::load);
    assertEquals(key + " is not the key of " + cert, e.getMessage());
  }
}
