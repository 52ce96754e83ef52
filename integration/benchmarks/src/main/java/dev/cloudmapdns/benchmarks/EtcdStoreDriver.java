package dev.cloudmapdns.benchmarks;

import dev.cloudmapdns.integration.CloudMapHttp;
import dev.cloudmapdns.server.testing.EtcdCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Benchmark (16): the etcd store. (a) RegisterInstance calls per second through the HTTP API, the
 * etcd store (one real member on loopback, {@code /usr/bin/etcd}) against SQLite, side by side in
 * one run, alternating per round, loaded by {@link StoreThroughputDriver}'s clients. (b)
 * Replication lag: three packaged replicas on one etcd member; one RegisterInstance at a time
 * through A, and C's embedded DNS listener polled over UDP until the service's A answer holds the
 * new address (the one before is deregistered, untimed, so the answer holds one or two): the time
 * from sending the call to C's answer, p50 and p99 (target p99 under 50 ms on loopback), and how
 * much of it is A's own acknowledgement.
 *
 * <p>{@code java -cp benchmarks.jar dev.cloudmapdns.benchmarks.EtcdStoreDriver [clients=32]
 * [seconds=10] [rounds=2] [samples=300] [jar=server/target/cloudmap-dns.jar]}
 */
public final class EtcdStoreDriver {
  private EtcdStoreDriver() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    Duration measured = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int samples = args.length > 3 ? Integer.parseInt(args[3]) : 300;
    Path jar = Path.of(args.length > 4 ? args[4] : "server/target/cloudmap-dns.jar");
    if (EtcdCluster.binary().isEmpty()) {
      throw new IllegalStateException("no etcd binary: install Debian's etcd-server");
    }
    System.out.printf(
        "(a) %d clients, %d s measured per run, %d rounds%n",
        clients, measured.toSeconds(), rounds);
    System.out.println("round | store  | calls/s | p50 ms | p99 ms | max ms");
    double[] sqlite = new double[rounds];
    double[] etcd = new double[rounds];
    for (int round = 1; round <= rounds; round++) {
      Path dir = Files.createTempDirectory("cloudmap-dns-bench-etcd-");
      sqlite[round - 1] =
          StoreThroughputDriver.run(
              round, "sqlite", jar, clients, measured, "--store-file=" + dir.resolve("c.db"));
      try (EtcdCluster cluster =
          EtcdCluster.start(Files.createDirectories(dir.resolve("etcd")), 1)) {
        etcd[round - 1] =
            StoreThroughputDriver.run(
                round,
                "etcd",
                jar,
                clients,
                measured,
                "--store=etcd",
                "--etcd-endpoints=" + String.join(",", cluster.endpoints()));
      }
    }
    for (int round = 0; round < rounds; round++) {
      System.out.printf("round %d: etcd / sqlite = %.2f%n", round + 1, etcd[round] / sqlite[round]);
    }
    System.out.printf(
        "all rounds: etcd / sqlite = %.2f%n",
        Arrays.stream(etcd).sum() / Arrays.stream(sqlite).sum());
    lag(jar, samples);
  }

  /** (b): register through A, answer from C. */
  private static void lag(Path jar, int samples) throws Exception {
    Path dir = Files.createTempDirectory("cloudmap-dns-bench-lag-");
    try (EtcdCluster cluster = EtcdCluster.start(dir, 1)) {
      String endpoints = "--etcd-endpoints=" + String.join(",", cluster.endpoints());
      List<ServerProcess> replicas = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          replicas.add(ServerProcess.start(jar, "--store=etcd", endpoints));
        }
        CloudMapHttp a = new CloudMapHttp(replicas.get(0).httpPort);
        String namespace = a.createPrivateDnsNamespace("lag.local");
        String service = a.createDnsService(namespace, "backend", 60).get("Id").asText();
        SimpleResolver c = new SimpleResolver("127.0.0.1");
        c.setPort(replicas.get(2).dnsPort);
        c.setTimeout(Duration.ofSeconds(2));
        long[] answered = new long[samples];
        long[] acknowledged = new long[samples];
        int warmUp = Math.min(50, samples / 5);
        Name name = Name.fromString("backend.lag.local.");
        String previous = null;
        for (int n = -warmUp; n < samples; n++) {
          String id = "i" + (n + warmUp);
          String address = "127.1." + ((n + warmUp) / 250) + "." + ((n + warmUp) % 250 + 1);
          long started = System.nanoTime();
          a.call(
              "RegisterInstance",
              "{\"ServiceId\":\""
                  + service
                  + "\",\"InstanceId\":\""
                  + id
                  + "\",\"Attributes\":{\"AWS_INSTANCE_IPV4\":\""
                  + address
                  + "\"}}");
          long acked = System.nanoTime();
          while (!answers(c, name, address)) {
            if (System.nanoTime() - started > Duration.ofSeconds(10).toNanos()) {
              throw new IllegalStateException("C never answered " + address);
            }
          }
          long done = System.nanoTime();
          if (previous != null) { // untimed: the service keeps one or two instances, all answered
            a.call(
                "DeregisterInstance",
                "{\"ServiceId\":\"" + service + "\",\"InstanceId\":\"" + previous + "\"}");
          }
          previous = id;
          if (n >= 0) {
            answered[n] = done - started;
            acknowledged[n] = acked - started;
          }
        }
        Arrays.sort(answered);
        Arrays.sort(acknowledged);
        System.out.printf(
            "(b) %d registrations through A, answered by C: p50 %.1f ms, p99 %.1f ms, max %.1f ms"
                + " (A's acknowledgement alone: p50 %.1f ms, p99 %.1f ms); target p99 < 50 ms%n",
            samples,
            answered[samples / 2] / 1e6,
            answered[(int) (samples * 0.99)] / 1e6,
            answered[samples - 1] / 1e6,
            acknowledged[samples / 2] / 1e6,
            acknowledged[(int) (samples * 0.99)] / 1e6);
      } finally {
        for (ServerProcess replica : replicas) {
          replica.close();
        }
      }
    }
  }

  private static boolean answers(SimpleResolver resolver, Name name, String address)
      throws Exception {
    Message reply = resolver.send(Message.newQuery(Record.newRecord(name, Type.A, DClass.IN)));
    if (reply.getRcode() != Rcode.NOERROR) {
      return false;
    }
    for (Record record : reply.getSection(Section.ANSWER)) {
      if (record instanceof ARecord a && a.getAddress().getHostAddress().equals(address)) {
        return true;
      }
    }
    return false;
  }
}
