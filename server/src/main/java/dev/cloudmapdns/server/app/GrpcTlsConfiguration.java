package dev.cloudmapdns.server.app;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * TLS on the gRPC port ({@code cloudmap.grpc.tls.*}), matching CoreDNS's {@code tls CERT KEY CA}.
 * Off unless {@code cert-file} is set.
 *
 * @param certFile the server's certificate chain, PEM, leaf first
 * @param keyFile its private key, PEM, PKCS#8 ({@code BEGIN PRIVATE KEY}; RSA or EC)
 * @param clientCaFile when set, clients must present a certificate signed by one of these PEM CA
 *     certificates (mutual TLS), or the handshake fails
 * @param reloadInterval how often the files are checked; changed files are re-read and used for the
 *     next handshakes (cert-manager rotates them in place)
 */
@ConfigurationProperties("cloudmap.grpc.tls")
public record GrpcTlsConfiguration(
    @Nullable Path certFile,
    @Nullable Path keyFile,
    @Nullable Path clientCaFile,
    @Bindable(defaultValue = "30s") Duration reloadInterval) {

  /** Checks that the files exist and go together; the message names the setting. */
  GrpcTlsConfiguration validated() {
    if (certFile == null) {
      throw new ConfigurationException("cloudmap.grpc.tls.cert-file is required for TLS");
    }
    if (keyFile == null) {
      throw new ConfigurationException(
          "cloudmap.grpc.tls.key-file is required with cloudmap.grpc.tls.cert-file");
    }
    readable("cert-file", certFile);
    readable("key-file", keyFile);
    if (clientCaFile != null) {
      readable("client-ca-file", clientCaFile);
    }
    if (reloadInterval.isNegative() || reloadInterval.isZero()) {
      throw new ConfigurationException("cloudmap.grpc.tls.reload-interval must be positive");
    }
    return this;
  }

  private static void readable(String setting, Path file) {
    if (!Files.isReadable(file)) {
      throw new ConfigurationException(
          "cloudmap.grpc.tls." + setting + ": " + file + " is not a readable file");
    }
  }
}
