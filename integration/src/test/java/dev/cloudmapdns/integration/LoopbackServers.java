package dev.cloudmapdns.integration;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * Real servers for the health checks to probe, each on its own loopback address (Linux routes all
 * of 127.0.0.0/8 to lo), so that dig's answers tell the instances apart. Every server can be
 * stopped and started again on the same address and port.
 */
final class LoopbackServers {
  private LoopbackServers() {}

  /** Something that can go down and come back; starting it while it runs does nothing. */
  interface Restartable extends AutoCloseable {
    String address();

    int port();

    void start() throws IOException;

    void stop();

    /** {@link #start}, for callers that cannot throw: a failure to bind again is unchecked. */
    default void restart() {
      try {
        start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + address() + ":" + port() + " again", e);
      }
    }

    @Override
    default void close() {
      stop();
    }
  }

  /** An HTTP(S) server answering 200 on /health and 404 elsewhere. */
  static Restartable http(String address, SSLContext tls) throws IOException {
    return new HealthEndpoint(address, tls);
  }

  /** A plain TCP listener that accepts connections and closes them. */
  static Restartable tcp(String address) throws IOException {
    return new TcpListener(address);
  }

  /**
   * A server that completes TCP handshakes (from its backlog) and never reads or answers: a hung
   * process, as a health check sees it.
   */
  static ServerSocket hung(String address) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0), 100);
    return socket;
  }

  private static final class HealthEndpoint implements Restartable {
    private final String address;
    private final SSLContext tls;
    private int port;
    private HttpServer server;
    private ExecutorService executor;

    HealthEndpoint(String address, SSLContext tls) throws IOException {
      this.address = address;
      this.tls = tls;
      start();
    }

    @Override
    public String address() {
      return address;
    }

    @Override
    public int port() {
      return port;
    }

    @Override
    public synchronized void start() throws IOException {
      if (server != null) {
        return;
      }
      InetSocketAddress bind = new InetSocketAddress(address, port);
      if (tls == null) {
        server = HttpServer.create(bind, 50);
      } else {
        HttpsServer https = HttpsServer.create(bind, 50);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        server = https;
      }
      server.createContext(
          "/",
          exchange -> {
            int status = exchange.getRequestURI().getPath().equals("/health") ? 200 : 404;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
          });
      executor = Executors.newFixedThreadPool(2);
      server.setExecutor(executor);
      server.start();
      port = server.getAddress().getPort();
    }

    @Override
    public synchronized void stop() {
      if (server != null) {
        server.stop(0);
        executor.shutdownNow();
        server = null;
      }
    }
  }

  private static final class TcpListener implements Restartable {
    private final String address;
    private int port;
    private ServerSocket socket;
    private Thread acceptor;

    TcpListener(String address) throws IOException {
      this.address = address;
      start();
    }

    @Override
    public String address() {
      return address;
    }

    @Override
    public int port() {
      return port;
    }

    @Override
    public synchronized void start() throws IOException {
      if (socket != null) {
        return;
      }
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getByName(address), port), 50);
      socket = server;
      port = server.getLocalPort();
      acceptor =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    server.accept().close();
                  } catch (IOException e) {
                    return; // closed
                  }
                }
              },
              "tcp-listener-" + address);
      acceptor.setDaemon(true);
      acceptor.start();
    }

    @Override
    public synchronized void stop() {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException e) {
          // closing anyway
        }
        socket = null;
      }
    }
  }
}
