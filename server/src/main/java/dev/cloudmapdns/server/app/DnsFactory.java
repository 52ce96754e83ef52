package dev.cloudmapdns.server.app;

import dev.cloudmapdns.dns.engine.DnsAnswerEngine;
import dev.cloudmapdns.dns.engine.DnsWireHandler;
import dev.cloudmapdns.dns.grpc.CoreDnsGrpcService;
import dev.cloudmapdns.dns.grpc.DnsDebugGrpcService;
import dev.cloudmapdns.server.dnsview.DnsProjection;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.watch.RegistryEvents;
import dev.cloudmapdns.server.watch.RegistryWatchGrpcService;
import io.grpc.BindableService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Wires the DNS edge to the registry's projection: one engine, served over gRPC (CoreDNS's
 * DnsService, the debug API, the registry watch, reflection; micronaut-grpc adds grpc.health.v1)
 * and, separately, the embedded UDP/TCP listener.
 */
@Factory
final class DnsFactory {

  /**
   * The engine reads the projection, which the registry feeds; asking for the registry here makes
   * sure the seed is loaded before the first query can arrive.
   */
  @Singleton
  DnsAnswerEngine dnsAnswerEngine(DnsProjection projection, Registry registry) {
    return new DnsAnswerEngine(projection);
  }

  @Singleton
  DnsWireHandler dnsWireHandler(DnsAnswerEngine engine) {
    return new DnsWireHandler(engine);
  }

  @Singleton
  @Named("coredns")
  BindableService coreDnsService(DnsWireHandler handler) {
    return new CoreDnsGrpcService(handler);
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
