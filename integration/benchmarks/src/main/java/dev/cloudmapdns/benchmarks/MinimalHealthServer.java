package dev.cloudmapdns.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The floor for benchmark (11): a JVM that binds one loopback HTTP port with the JDK's own server
 * and answers {@code 200} on {@code /health}, nothing else. Started from the benchmarks jar, it
 * pays what any Java server pays before it can answer: the JVM, the class path, one listener.
 *
 * <p>{@code java -cp benchmarks.jar dev.cloudmapdns.benchmarks.MinimalHealthServer PORT}
 */
public final class MinimalHealthServer {
  private MinimalHealthServer() {}

  public static void main(String[] args) throws Exception {
    HttpServer server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 0);
    server.createContext(
        "/health",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
  }
}
