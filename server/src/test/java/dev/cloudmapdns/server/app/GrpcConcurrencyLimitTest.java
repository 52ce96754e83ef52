package dev.cloudmapdns.server.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GrpcConcurrencyLimitTest {
  private static final byte SETTINGS = 0x4;
  private static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;

  private EmbeddedServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void refusesALimitBelowOneNamingTheSetting() {
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> new GrpcConcurrencyLimit(0));
    assertEquals(
        "cloudmap.grpc.max-calls-per-connection must be at least 1, not 0", e.getMessage());
  }

  /** The real gRPC port with the default settings announces 100 to every connection. */
  @Test
  void announcesOneHundredCallsPerConnectionByDefault() throws IOException {
    int port = start(Map.of());
    assertEquals(100, maxConcurrentStreams(port));
  }

  @Test
  void announcesTheConfiguredLimit() throws IOException {
    int port = start(Map.of(GrpcConcurrencyLimit.PROPERTY, 7));
    assertEquals(7, maxConcurrentStreams(port));
  }

  private int start(Map<String, Object> overrides) throws IOException {
    int grpcPort = GrpcTestServer.freePort();
    Map<String, Object> properties = GrpcTestServer.properties(grpcPort);
    properties.putAll(overrides);
    server = ApplicationContext.run(EmbeddedServer.class, properties);
    return grpcPort;
  }

  /**
   * Opens an HTTP/2 connection by hand (the client preface, an empty SETTINGS frame) and reads
   * SETTINGS_MAX_CONCURRENT_STREAMS from the server's first frame, which RFC 9113 says is its
   * SETTINGS; -1 when the server sets no limit.
   */
  private static int maxConcurrentStreams(int port) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[] {0, 0, 0, SETTINGS, 0, 0, 0, 0, 0});
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
      assertEquals(SETTINGS, in.readByte(), "the server's first frame is SETTINGS");
      in.readByte(); // flags
      in.readInt(); // stream 0
      int limit = -1;
      for (int read = 0; read < length; read += 6) {
        int id = in.readUnsignedShort();
        int value = in.readInt();
        if (id == SETTINGS_MAX_CONCURRENT_STREAMS) {
          limit = value;
        }
      }
      return limit;
    }
  }
}
