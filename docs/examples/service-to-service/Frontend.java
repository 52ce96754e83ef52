import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The frontend: its {@code /health} is healthy only when {@code backend-api.app.local} resolves
 * (asked straight from cloudmap-dns's DNS listener) and a backend it names answers. Run with
 * {@code java Frontend.java ADDRESS PORT DNS_PORT BACKEND_PORT} (Java 17+, no build).
 */
public class Frontend {
  private static final String BACKEND = "backend-api.app.local";

  public static void main(String[] args) throws Exception {
    int dnsPort = Integer.parseInt(args[2]);
    int backendPort = Integer.parseInt(args[3]);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpServer server = HttpServer.create(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 50);
    server.createContext(
        "/",
        exchange -> {
          int status;
          String body;
          try {
            List<String> addresses = resolve(BACKEND, dnsPort);
            if (addresses.isEmpty()) {
              status = 503;
              body = BACKEND + " does not resolve\n";
            } else {
              HttpResponse<String> reply =
                  http.send(
                      HttpRequest.newBuilder(URI.create("http://" + addresses.get(0) + ":" + backendPort + "/"))
                          .timeout(Duration.ofSeconds(1))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              status = reply.statusCode() == 200 ? 200 : 503;
              body = BACKEND + " -> " + addresses + ": " + reply.body();
            }
          } catch (Exception e) {
            status = 503;
            body = "backend unreachable: " + e + "\n";
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    System.out.println("frontend listening on " + args[0] + ":" + args[1]);
  }

  /** The A records of {@code name}, asked over UDP from 127.0.0.1:dnsPort. */
  static List<String> resolve(String name, int dnsPort) throws Exception {
    ByteArrayOutputStream query = new ByteArrayOutputStream();
    query.writeBytes(new byte[] {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
    for (String label : name.split("\\.")) {
      query.write(label.length());
      query.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
    }
    query.writeBytes(new byte[] {0, 0, 1, 0, 1}); // root, type A, class IN
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(1000);
      byte[] out = query.toByteArray();
      socket.send(new DatagramPacket(out, out.length, InetAddress.getLoopbackAddress(), dnsPort));
      byte[] in = new byte[1232];
      DatagramPacket packet = new DatagramPacket(in, in.length);
      socket.receive(packet);
      ByteBuffer reply = ByteBuffer.wrap(in, 0, packet.getLength());
      int answers = reply.getShort(6) & 0xffff;
      reply.position(12);
      skipName(reply);
      reply.position(reply.position() + 4);
      List<String> addresses = new ArrayList<>();
      for (int i = 0; i < answers; i++) {
        skipName(reply);
        int type = reply.getShort() & 0xffff;
        reply.position(reply.position() + 6); // class, TTL
        int length = reply.getShort() & 0xffff;
        if (type == 1 && length == 4) {
          addresses.add((in[reply.position()] & 255) + "." + (in[reply.position() + 1] & 255) + "."
              + (in[reply.position() + 2] & 255) + "." + (in[reply.position() + 3] & 255));
        }
        reply.position(reply.position() + length);
      }
      return addresses;
    }
  }

  private static void skipName(ByteBuffer buffer) {
    while (true) {
      int length = buffer.get() & 255;
      if (length == 0) {
        return;
      }
      if ((length & 0xc0) == 0xc0) {
        buffer.get();
        return;
      }
      buffer.position(buffer.position() + length);
    }
  }
}
