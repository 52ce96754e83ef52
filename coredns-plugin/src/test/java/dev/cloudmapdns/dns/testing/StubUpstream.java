package dev.cloudmapdns.dns.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * A broken upstream on a loopback UDP port, for failover tests: it either never replies, or replies
 * SERVFAIL to everything. Counts the queries it got. Closing it stops its thread.
 */
public final class StubUpstream implements AutoCloseable {
  /** How it misbehaves. */
  public enum Behaviour {
    SILENT,
    SERVFAIL
  }

  private final DatagramSocket socket;
  private final AtomicInteger received = new AtomicInteger();

  private StubUpstream(DatagramSocket socket) {
    this.socket = socket;
  }

  public static StubUpstream start(Behaviour behaviour) throws SocketException {
    DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    StubUpstream stub = new StubUpstream(socket);
    Thread thread = new Thread(() -> stub.serve(behaviour), "stub-upstream");
    thread.setDaemon(true);
    thread.start();
    return stub;
  }

  public String hostAndPort() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  public int received() {
    return received.get();
  }

  private void serve(Behaviour behaviour) {
    byte[] buffer = new byte[65_535];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
        received.incrementAndGet();
        if (behaviour == Behaviour.SERVFAIL) {
          Message query = new Message(java.util.Arrays.copyOf(buffer, packet.getLength()));
          Message reply = new Message(query.getHeader().getID());
          reply.getHeader().setFlag(Flags.QR);
          reply.getHeader().setRcode(Rcode.SERVFAIL);
          reply.addRecord(query.getQuestion(), 0);
          byte[] wire = reply.toWire();
          socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
        }
      } catch (IOException closedOrBroken) {
        // closed: the loop ends; an unreadable packet: ignore it
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
