package dev.cloudmapdns.server.corefile;

import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.Registry;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import java.util.List;

/**
 * {@code GET /coredns/corefile[?upstream=host:port]}: the Corefile block for the registry's DNS
 * namespaces now. The upstream defaults to our gRPC address ({@code 127.0.0.1} for a wildcard
 * bind); in a cluster pass the Service's name, e.g. {@code cloudmap-dns.kube-system:9953}.
 */
@Controller("/coredns")
final class CorefileController {
  private final Registry registry;
  private final String defaultUpstream;
  private final boolean tls;

  CorefileController(
      Registry registry,
      @Value("${grpc.server.host:127.0.0.1}") String grpcHost,
      @Value("${grpc.server.port:9953}") int grpcPort,
      @Value("${cloudmap.grpc.tls.cert-file:}") String tlsCertFile) {
    this.registry = registry;
    String host =
        grpcHost.equals("0.0.0.0") || grpcHost.equals("::") || grpcHost.isBlank()
            ? "127.0.0.1"
            : grpcHost.contains(":") ? "[" + grpcHost + "]" : grpcHost;
    this.defaultUpstream = host + ":" + grpcPort;
    this.tls = !tlsCertFile.isBlank();
  }

  @Get(uri = "/corefile", produces = MediaType.TEXT_PLAIN)
  HttpResponse<String> corefile(@Nullable @QueryValue String upstream) {
    List<String> zones =
        registry.state().namespaces().values().stream()
            .filter(namespace -> namespace.type().isDns())
            .map(Namespace::name)
            .toList();
    try {
      String target = upstream == null || upstream.isBlank() ? defaultUpstream : upstream;
      return HttpResponse.ok(new CorefileBlock(zones, target, tls).render());
    } catch (IllegalArgumentException e) {
      return HttpResponse.<String>badRequest().body(e.getMessage() + "\n");
    }
  }
}
