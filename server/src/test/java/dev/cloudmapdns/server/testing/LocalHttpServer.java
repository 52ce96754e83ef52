package dev.cloudmapdns.server.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP(S) server on a loopback address for health checks to probe: answers each path with
 * the status in {@code statuses} (404 otherwise) and remembers the requests it saw.
 */
public final class LocalHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  public final List<Seen> requests = new CopyOnWriteArrayList<>();

  /** One request as the server saw it. */
  public record Seen(String method, String path, String host, String connection) {}

  private LocalHttpServer(HttpServer server, Map<String, Integer> statuses) {
    this.server = server;
    server.createContext("/", exchange -> answer(exchange, statuses));
    server.setExecutor(executor);
    server.start();
  }

  public static LocalHttpServer http(String address, Map<String, Integer> statuses)
      throws IOException {
    return new LocalHttpServer(HttpServer.create(new InetSocketAddress(address, 0), 16), statuses);
  }

  public static LocalHttpServer https(String address, SSLContext tls, Map<String, Integer> statuses)
      throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress(address, 0), 16);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    return new LocalHttpServer(server, statuses);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void answer(HttpExchange exchange, Map<String, Integer> statuses) throws IOException {
    requests.add(
        new Seen(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders().getFirst("Host"),
            exchange.getRequestHeaders().getFirst("Connection")));
    int status = statuses.getOrDefault(exchange.getRequestURI().getPath(), 404);
    if (status >= 300 && status < 400) {
      exchange.getResponseHeaders().set("Location", "/elsewhere");
    }
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
