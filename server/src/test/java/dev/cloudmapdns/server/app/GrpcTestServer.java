package dev.cloudmapdns.server.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/** Settings for a test that starts the application to talk to its real gRPC port. */
final class GrpcTestServer {
  private GrpcTestServer() {}

  /** A loopback port nothing listens on as this returns. */
  static int freePort() throws IOException {
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return free.getLocalPort();
    }
  }

  /**
   * gRPC on {@code grpcPort}, HTTP on an ephemeral port, both on loopback, an in-memory store and
   * no DNS listener; a mutable map, for the test's own settings on top.
   */
  static Map<String, Object> properties(int grpcPort) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("micronaut.server.host", "127.0.0.1");
    properties.put("micronaut.server.port", -1);
    properties.put("grpc.server.host", "127.0.0.1");
    properties.put("grpc.server.port", grpcPort);
    properties.put("cloudmap.dns.listener-enabled", false);
    properties.put("cloudmap.store.type", "memory");
    return properties;
  }
}
