package dev.cloudmapdns.server.app;

import io.grpc.ServerBuilder;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.context.exceptions.ConfigurationException;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts TLS, and with a client CA mutual TLS, on the gRPC server that micronaut-grpc builds. The
 * files are checked every {@code reload-interval} and re-read when they changed ({@link TlsFiles}),
 * so a rotated certificate is used from the next handshake on, without a restart.
 */
@Singleton
@Requires(property = "cloudmap.grpc.tls.cert-file")
final class GrpcTls implements BeanCreatedEventListener<ServerBuilder<?>>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GrpcTls.class);

  private final SslContext sslContext;
  private final ScheduledExecutorService reloader;

  GrpcTls(GrpcTlsConfiguration configuration) {
    GrpcTlsConfiguration config = configuration.validated();
    reloader =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "grpc-tls-reload");
              thread.setDaemon(true);
              return thread;
            });
    long period = config.reloadInterval().toMillis();
    try {
      AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
      AdvancedTlsX509TrustManager trust =
          config.clientCaFile() == null
              ? null
              : AdvancedTlsX509TrustManager.newBuilder()
                  .setVerification(
                      AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
                  .build();
      TlsFiles files =
          new TlsFiles(config.certFile(), config.keyFile(), config.clientCaFile(), keys, trust);
      files.load();
      reloader.scheduleWithFixedDelay(files, period, period, TimeUnit.MILLISECONDS);
      SslContextBuilder builder = GrpcSslContexts.configure(SslContextBuilder.forServer(keys));
      if (trust != null) {
        builder.trustManager(trust).clientAuth(ClientAuth.REQUIRE);
      }
      sslContext = builder.build();
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      close();
      throw new ConfigurationException(
          "cloudmap.grpc.tls: cannot use "
              + config.certFile()
              + " and "
              + config.keyFile()
              + (config.clientCaFile() == null ? "" : " with " + config.clientCaFile())
              + " (PEM certificates and a PKCS#8 key are needed): "
              + e.getMessage(),
          e);
    }
    LOG.info(
        "gRPC over TLS with {}{}, files checked every {}",
        config.certFile(),
        config.clientCaFile() == null
            ? ""
            : "; clients need a certificate signed by " + config.clientCaFile(),
        config.reloadInterval());
  }

  @Override
  public ServerBuilder<?> onCreated(BeanCreatedEvent<ServerBuilder<?>> event) {
    if (!(event.getBean() instanceof NettyServerBuilder netty)) {
      throw new ConfigurationException(
          "cloudmap.grpc.tls needs the Netty gRPC server, not " + event.getBean().getClass());
    }
    return netty.sslContext(sslContext);
  }

  @Override
  @PreDestroy
  public void close() {
    reloader.shutdownNow();
  }
}
