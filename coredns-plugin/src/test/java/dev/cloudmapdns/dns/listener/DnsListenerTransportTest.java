package dev.cloudmapdns.dns.listener;

import static dev.cloudmapdns.dns.testing.ZoneFixtures.instance;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.service;
import static dev.cloudmapdns.dns.testing.ZoneFixtures.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cloudmapdns.dns.engine.DnsAnswerEngine;
import dev.cloudmapdns.dns.engine.DnsWireHandler;
import dev.cloudmapdns.dns.testing.DnsQueries;
import dev.cloudmapdns.dns.testing.ZoneFixtures;
import io.netty.channel.epoll.Epoll;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The listener on each transport it can run on: epoll with one UDP socket per event loop
 * (SO_REUSEPORT) and NIO with one socket. Every client, whichever socket the kernel hands its
 * datagrams to, is answered.
 */
class DnsListenerTransportTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** Distinct source ports, so the kernel's SO_REUSEPORT hash spreads them over the sockets. */
  private static final int CLIENTS = 16;

  @ParameterizedTest(name = "epoll={0}, {1} loops")
  @CsvSource({"true,2", "true,1", "false,1", "false,2"})
  void answersEveryUdpClientAndTcp(boolean epoll, int loops) throws Exception {
    assumeTrue(!epoll || Epoll.isAvailable(), "epoll is Linux-only");
    DnsWireHandler handler = webZone();
    try (DnsListener listener = new DnsListener(handler, loops, epoll)) {
      listener.start("127.0.0.1", 0);
      for (int client = 0; client < CLIENTS; client++) {
        Message reply = resolver(listener, false).send(DnsQueries.query("web.app.local", Type.A));
        assertEquals(Rcode.NOERROR, reply.getRcode(), "client " + client);
        assertEquals(1, reply.getSection(org.xbill.DNS.Section.ANSWER).size());
      }
      Message overTcp = resolver(listener, true).send(DnsQueries.query("nope.app.local", Type.A));
      assertEquals(Rcode.NXDOMAIN, overTcp.getRcode());
      assertEquals(0, listener.droppedReplies());
    }
  }

  @ParameterizedTest(name = "epoll={0}")
  @CsvSource({"true", "false"})
  void answersEveryQueryOfAPipeliningTcpClientInOrder(boolean epoll) throws Exception {
    assumeTrue(!epoll || Epoll.isAvailable(), "epoll is Linux-only");
    DnsWireHandler handler = webZone();
    int queries = 50;
    try (DnsListener listener = new DnsListener(handler, 2, epoll);
        Socket socket = new Socket()) {
      listener.start("127.0.0.1", 0);
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.port()));
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (int id = 1; id <= queries; id++) {
        byte[] query = DnsQueries.builder("web.app.local", Type.A).id(id).build().toWire();
        all.write(query.length >> 8);
        all.write(query.length & 0xFF);
        all.write(query);
      }
      socket.getOutputStream().write(all.toByteArray()); // one write: every query at once
      DataInputStream in = new DataInputStream(socket.getInputStream());
      for (int id = 1; id <= queries; id++) {
        byte[] reply = new byte[in.readUnsignedShort()];
        in.readFully(reply);
        assertEquals(id, new Message(reply).getHeader().getID());
      }
    }
  }

  @ParameterizedTest(name = "epoll={0}")
  @CsvSource({"true", "false"})
  void answersEveryDatagramOfABurstReadTogether(boolean epoll) throws Exception {
    assumeTrue(!epoll || Epoll.isAvailable(), "epoll is Linux-only");
    int queries = 3 * DnsListener.DATAGRAMS_PER_READ;
    try (DnsListener listener = new DnsListener(webZone(), 1, epoll);
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      listener.start("127.0.0.1", 0);
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      InetSocketAddress server =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.port());
      for (int id = 1; id <= queries; id++) {
        // Names of different lengths, with and without EDNS: datagrams of different sizes.
        String name = id % 3 == 0 ? "nope-" + "x".repeat(id) + ".app.local" : "web.app.local";
        DnsQueries.QueryBuilder query = DnsQueries.builder(name, Type.A).id(id);
        byte[] wire = (id % 2 == 0 ? query.edns(1232) : query).build().toWire();
        socket.send(new DatagramPacket(wire, wire.length, server));
      }
      Set<Integer> answered = new HashSet<>();
      byte[] buffer = new byte[1232];
      for (int i = 0; i < queries; i++) {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        Message reply = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
        int id = reply.getHeader().getID();
        assertEquals(id % 3 == 0 ? Rcode.NXDOMAIN : Rcode.NOERROR, reply.getRcode(), "id " + id);
        assertEquals(id % 2 == 0, reply.getOPT() != null, "id " + id);
        answered.add(id);
      }
      assertEquals(queries, answered.size());
    }
  }

  private static DnsWireHandler webZone() {
    return new DnsWireHandler(
        new DnsAnswerEngine(
            ZoneFixtures.source(
                zone("app.local")
                    .with(service("web").a(60).with(instance("w-1").ipv4("10.0.0.1")))
                    .build())));
  }

  private static SimpleResolver resolver(DnsListener listener, boolean tcp) throws IOException {
    SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
    resolver.setPort(listener.port());
    resolver.setTCP(tcp);
    resolver.setTimeout(TIMEOUT);
    return resolver;
  }
}
