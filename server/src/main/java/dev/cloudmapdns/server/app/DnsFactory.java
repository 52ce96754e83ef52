package dev.cloudmapdns.server.app;

import dev.cloudmapdns.dns.engine.DnsAnswerEngine;
import dev.cloudmapdns.dns.engine.DnsForwarder;
import dev.cloudmapdns.dns.engine.DnsWireHandler;
import dev.cloudmapdns.dns.forward.Upstream;
import dev.cloudmapdns.dns.forward.UpstreamForwarder;
import dev.cloudmapdns.dns.grpc.CoreDnsGrpcService;
import dev.cloudmapdns.dns.grpc.DnsDebugGrpcService;
import dev.cloudmapdns.server.dnsview.DnsProjection;
import dev.cloudmapdns.server.metrics.DnsMeters;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.watch.RegistryEvents;
import dev.cloudmapdns.server.watch.RegistryWatchGrpcService;
import io.grpc.BindableService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the DNS edge to the registry's projection: one engine, served over gRPC (CoreDNS's
 * DnsService, the debug API, the registry watch, reflection; micronaut-grpc adds grpc.health.v1)
 * and, separately, the embedded UDP/TCP listener.
 */
@Factory
final class DnsFactory {
  private static final Logger LOG = LoggerFactory.getLogger(DnsFactory.class);

  /**
   * The engine reads the projection, which the registry feeds; asking for the registry here makes
   * sure the seed is loaded before the first query can arrive.
   */
  @Singleton
  DnsAnswerEngine dnsAnswerEngine(DnsProjection projection, Registry registry) {
    return new DnsAnswerEngine(projection);
  }

  @Singleton
  DnsWireHandler dnsWireHandler(DnsAnswerEngine engine, Optional<UpstreamForwarder> forwarder) {
    return new DnsWireHandler(engine, forwarder.map(DnsForwarder.class::cast));
  }

  /** Only with {@code cloudmap.dns.forwarders} set: otherwise outside names answer REFUSED. */
  @Singleton
  @Requires(property = "cloudmap.dns.forwarders")
  UpstreamForwarder upstreamForwarder(ForwardingConfiguration config, DnsMeters meters) {
    List<Upstream> upstreams = config.upstreams();
    if (upstreams.isEmpty()) {
      throw new ConfigurationException("cloudmap.dns.forwarders names no upstream");
    }
    LOG.info("forwarding names outside every namespace to {}", upstreams);
    return new UpstreamForwarder(upstreams, config.forwardTimeout(), meters);
  }

  @Singleton
  @Named("coredns")
  BindableService coreDnsService(DnsWireHandler handler, DnsMeters meters) {
    return new CoreDnsGrpcService(handler, meters);
  }

  @Singleton
  @Named("dns-debug")
  BindableService dnsDebugService(DnsAnswerEngine engine, DnsProjection projection) {
    return new DnsDebugGrpcService(engine, projection);
  }

  @Singleton
  @Named("registry-watch")
  BindableService registryWatchService(RegistryEvents events) {
    return new RegistryWatchGrpcService(events);
  }

  @Singleton
  @Named("reflection")
  BindableService reflectionService() {
    return ProtoReflectionServiceV1.newInstance();
  }
}
