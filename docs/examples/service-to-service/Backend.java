import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A backend instance: {@code GET /health} answers 200, {@code GET /} says who answered. Run with
 * {@code java Backend.java NAME ADDRESS PORT} (Java 17+, no build).
 */
public class Backend {
  public static void main(String[] args) throws Exception {
    String name = args[0];
    HttpServer server = HttpServer.create(new InetSocketAddress(args[1], Integer.parseInt(args[2])), 50);
    server.createContext(
        "/",
        exchange -> {
          boolean health = exchange.getRequestURI().getPath().equals("/health");
          byte[] body = (health ? "ok\n" : "hello from " + name + "\n").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    System.out.println(name + " listening on " + args[1] + ":" + args[2]);
  }
}
