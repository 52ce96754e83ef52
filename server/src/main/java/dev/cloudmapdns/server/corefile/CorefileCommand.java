package dev.cloudmapdns.server.corefile;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code java -jar cloudmap-dns.jar corefile [--server URL] [--upstream HOST:PORT]}: asks a running
 * server for its Corefile block and prints it. The registry lives in that server (its store file is
 * locked while it runs), so this is a client of its HTTP port.
 */
public final class CorefileCommand {
  public static final String NAME = "corefile";

  public static final String USAGE =
      """
      Usage: java -jar cloudmap-dns.jar corefile [--server URL] [--upstream HOST:PORT]

      Prints the CoreDNS block for the DNS namespaces of a running server: a
      parent-domain block when they share one (it never needs changing), and
      the block naming each namespace.

        --server URL          the server's HTTP address (default http://127.0.0.1:5373)
        --upstream HOST:PORT  where CoreDNS reaches the server's gRPC port (default:
                              its gRPC address; in a cluster e.g.
                              cloudmap-dns.kube-system:9953)
      """;

  private CorefileCommand() {}

  /** Runs the command; the exit status (0 printed, 2 bad arguments, 1 server unreachable). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String server = "http://127.0.0.1:5373";
    String upstream = null;
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      String value = i + 1 < args.length ? args[i + 1] : null;
      if (arg.equals("--help") || arg.equals("-h")) {
        out.print(USAGE);
        return 0;
      } else if (arg.equals("--server") && value != null) {
        server = value;
        i++;
      } else if (arg.startsWith("--server=")) {
        server = arg.substring("--server=".length());
      } else if (arg.equals("--upstream") && value != null) {
        upstream = value;
        i++;
      } else if (arg.startsWith("--upstream=")) {
        upstream = arg.substring("--upstream=".length());
      } else {
        err.println(
            "cloudmap-dns corefile: unknown argument: " + arg + "\nRun with --help for usage.");
        return 2;
      }
    }
    String url =
        server.replaceAll("/+$", "")
            + "/coredns/corefile"
            + (upstream == null
                ? ""
                : "?upstream=" + URLEncoder.encode(upstream, StandardCharsets.UTF_8));
    try {
      HttpResponse<String> response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        err.print(
            "cloudmap-dns corefile: "
                + url
                + " answered "
                + response.statusCode()
                + ": "
                + response.body());
        return response.statusCode() == 400 ? 2 : 1;
      }
      out.print(response.body());
      return 0;
    } catch (IOException | IllegalArgumentException e) {
      err.println("cloudmap-dns corefile: cannot reach " + url + ": " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
