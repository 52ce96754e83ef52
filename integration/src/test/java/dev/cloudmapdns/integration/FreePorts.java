package dev.cloudmapdns.integration;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free loopback ports for a server under test, distinct from each other: all are held open together
 * while they are picked, so two of them can never be the same port. (Picking one, closing it, and
 * letting the server take another with port 0 made the OS hand the same port out twice.)
 */
public final class FreePorts {
  private FreePorts() {}

  public static int[] pick(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>(count);
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }
}
