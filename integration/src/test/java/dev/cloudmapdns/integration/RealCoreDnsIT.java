package dev.cloudmapdns.integration;

import static dev.cloudmapdns.integration.CoreDnsProcess.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The packaged server behind a real CoreDNS ({@code COREDNS_BIN}): DNS clients ask CoreDNS over UDP
 * and TCP, and CoreDNS's stock {@code grpc} plugin asks us. The registry is the README's example.
 *
 * <p>The Corefile lists a dead upstream before ours with {@code policy sequential}, so every answer
 * from the registry below has come through CoreDNS's failover. Two other blocks on the same port
 * make the routing visible: {@code unreachable.test} goes to the dead upstream alone (SERVFAIL),
 * and every other name goes to {@code whoami}, whose answer shows that CoreDNS never asked us.
 */
class RealCoreDnsIT {
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);
  private static final InstalledTool COREDNS =
      InstalledTool.fromEnvironment(
          "COREDNS_BIN",
          "Set it to a CoreDNS binary (1.10.1 or later) to run the tests against a real CoreDNS;"
              + " use a release binary (docs/coredns.md, 'Testing against a real CoreDNS').");

  @TempDir static Path directory;

  private static CloudMapDnsProcess server;
  private static CoreDnsProcess coredns;

  /** How a client reaches CoreDNS. */
  enum Transport {
    UDP,
    TCP
  }

  @BeforeAll
  static void start() throws Exception {
    if (COREDNS.path().isEmpty()) {
      return; // every test is skipped, with the reason, by requireCoreDns()
    }
    server = CloudMapDnsProcess.start("--seed", CloudMapDnsProcess.exampleSeed().toString());
    int port = CoreDnsProcess.freeDnsPort();
    int dead = closedPort();
    String corefile =
        """
        app.local:%1$d {
            bind 127.0.0.1
            grpc . 127.0.0.1:%2$d 127.0.0.1:%3$d {
                policy sequential
            }
        }
        unreachable.test:%1$d {
            bind 127.0.0.1
            grpc . 127.0.0.1:%2$d
        }
        .:%1$d {
            bind 127.0.0.1
            whoami
        }
        """
            .formatted(port, dead, server.grpcPort);
    coredns = CoreDnsProcess.start(COREDNS.path().get(), directory, port, corefile);
  }

  @BeforeEach
  void requireCoreDns() {
    COREDNS.assumePresent();
  }

  @AfterAll
  static void stop() {
    if (coredns != null) {
      coredns.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void answersBothBackendInstancesForA(Transport transport) throws Exception {
    Message reply = query(transport, "backend-api.app.local.", Type.A);
    assertEquals(Rcode.NOERROR, reply.getRcode(), reply::toString);
    assertTrue(reply.getHeader().getFlag(Flags.AA), reply::toString);
    assertEquals(Set.of("10.0.0.1", "10.0.0.2"), data(reply, Section.ANSWER), reply::toString);
    for (Record record : reply.getSection(Section.ANSWER)) {
      assertEquals(60, record.getTTL(), record::toString);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void answersSrvWithPortTargetsAndTheirAddresses(Transport transport) throws Exception {
    Message reply = query(transport, "backend-api.app.local.", Type.SRV);
    assertEquals(Rcode.NOERROR, reply.getRcode(), reply::toString);
    assertEquals(
        Set.of(
            "1 1 8080 backend-1.backend-api.app.local.",
            "1 1 8080 backend-2.backend-api.app.local."),
        data(reply, Section.ANSWER),
        reply::toString);
    Set<String> glue =
        reply.getSection(Section.ADDITIONAL).stream()
            .filter(record -> record.getType() == Type.A)
            .map(record -> record.getName() + " " + record.rdataToString())
            .collect(Collectors.toSet());
    assertEquals(
        Set.of(
            "backend-1.backend-api.app.local. 10.0.0.1",
            "backend-2.backend-api.app.local. 10.0.0.2"),
        glue,
        reply::toString);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void answersAnSrvTargetByItsOwnName(Transport transport) throws Exception {
    Message reply = query(transport, "backend-1.backend-api.app.local.", Type.A);
    assertEquals(Set.of("10.0.0.1"), data(reply, Section.ANSWER), reply::toString);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void answersOnlyTheHealthyFrontendInstance(Transport transport) throws Exception {
    Message reply = query(transport, "frontend.app.local.", Type.A);
    assertEquals(Set.of("10.0.1.1"), data(reply, Section.ANSWER), reply::toString);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void answersNxdomainWithTheZoneSoaForAnUnknownName(Transport transport) throws Exception {
    Message reply = query(transport, "nope.app.local.", Type.A);
    assertEquals(Rcode.NXDOMAIN, reply.getRcode(), reply::toString);
    assertTrue(reply.getHeader().getFlag(Flags.AA), reply::toString);
    assertTrue(reply.getSection(Section.ANSWER).isEmpty(), reply::toString);
    assertZoneSoaInAuthority(reply);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void answersNodataWithTheZoneSoaForAnotherTypeOfAnExistingName(Transport transport)
      throws Exception {
    Message reply = query(transport, "backend-api.app.local.", Type.AAAA);
    assertEquals(Rcode.NOERROR, reply.getRcode(), reply::toString);
    assertTrue(reply.getSection(Section.ANSWER).isEmpty(), reply::toString);
    assertZoneSoaInAuthority(reply);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void keepsTheCaseOfTheQuestionInTheReply(Transport transport) throws Exception {
    Message reply = query(transport, "BACKEND-API.App.Local.", Type.A);
    assertEquals(Rcode.NOERROR, reply.getRcode(), reply::toString);
    // Name.equals ignores case: compare the text, which keeps it.
    assertEquals("BACKEND-API.App.Local.", reply.getQuestion().getName().toString());
    List<Record> answers = reply.getSection(Section.ANSWER);
    assertEquals(2, answers.size(), reply::toString);
    for (Record record : answers) {
      assertEquals("BACKEND-API.App.Local.", record.getName().toString(), reply::toString);
    }
  }

  @Test
  void failsOverFromTheDeadFirstUpstreamToTheRegistry() throws Exception {
    Message dead = query(Transport.UDP, "anything.unreachable.test.", Type.A);
    assertEquals(Rcode.SERVFAIL, dead.getRcode(), "the first upstream alone: " + dead);
    Message reply = query(Transport.UDP, "backend-api.app.local.", Type.A);
    assertEquals(Set.of("10.0.0.1", "10.0.0.2"), data(reply, Section.ANSWER), reply::toString);
  }

  /** The registry would answer REFUSED; whoami's reply shows the name never reached it. */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void leavesNamesOutsideTheZoneToTheOtherServerBlocks(Transport transport) throws Exception {
    for (String name : List.of("example.com.", "other.local.", "app.local.example.com.")) {
      Message reply = query(transport, name, Type.A);
      assertEquals(Rcode.NOERROR, reply.getRcode(), reply::toString);
      Set<String> whoami =
          reply.getSection(Section.ADDITIONAL).stream()
              .filter(record -> record.getType() == Type.A || record.getType() == Type.SRV)
              .map(record -> record.getName() + " " + Type.string(record.getType()))
              .collect(Collectors.toSet());
      String protocol = transport == Transport.TCP ? "_tcp." : "_udp.";
      assertEquals(Set.of(name + " A", protocol + name + " SRV"), whoami, reply::toString);
      ARecord client =
          reply.getSection(Section.ADDITIONAL).stream()
              .filter(ARecord.class::isInstance)
              .map(ARecord.class::cast)
              .findFirst()
              .orElseThrow();
      assertEquals(LOOPBACK, client.getAddress(), reply::toString);
    }
  }

  private static void assertZoneSoaInAuthority(Message reply) {
    List<Record> authority = reply.getSection(Section.AUTHORITY);
    assertEquals(1, authority.size(), reply::toString);
    Record soa = authority.get(0);
    assertEquals(Type.SOA, soa.getType(), reply::toString);
    assertEquals("app.local.", soa.getName().toString(), reply::toString);
    assertEquals(15, soa.getTTL(), reply::toString);
  }

  private static Message query(Transport transport, String name, int type) throws IOException {
    SimpleResolver resolver = new SimpleResolver(LOOPBACK);
    resolver.setPort(coredns.port);
    resolver.setTCP(transport == Transport.TCP);
    // Over UDP, keep the UDP reply even if truncated: the assertions then show what UDP carried.
    resolver.setIgnoreTruncation(true);
    resolver.setTimeout(QUERY_TIMEOUT);
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    Message reply;
    try {
      reply = resolver.send(query);
    } catch (IOException e) {
      throw new AssertionError(
          transport + " " + name + " " + Type.string(type) + " failed: " + e + "\n" + logs(), e);
    }
    assertFalse(reply.getHeader().getFlag(Flags.TC), reply::toString);
    return reply;
  }

  private static Set<String> data(Message reply, int section) {
    return reply.getSection(section).stream()
        .filter(record -> record.getType() != Type.OPT)
        .map(Record::rdataToString)
        .collect(Collectors.toSet());
  }

  private static String logs() {
    String registry;
    try {
      registry = server.output();
    } catch (IOException e) {
      registry = "(no registry log: " + e + ")";
    }
    return "CoreDNS:\n" + coredns.output() + "\ncloudmap-dns:\n" + registry;
  }

  /** A loopback port nothing listens on: connections to it are refused at once. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
      return socket.getLocalPort();
    }
  }
}
