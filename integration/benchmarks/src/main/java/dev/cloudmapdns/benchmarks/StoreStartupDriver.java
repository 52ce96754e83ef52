package dev.cloudmapdns.benchmarks;

import dev.cloudmapdns.server.registry.DeltaSet;
import dev.cloudmapdns.server.registry.DnsConfig;
import dev.cloudmapdns.server.registry.DnsRecord;
import dev.cloudmapdns.server.registry.HealthStatus;
import dev.cloudmapdns.server.registry.Instance;
import dev.cloudmapdns.server.registry.Namespace;
import dev.cloudmapdns.server.registry.NamespaceType;
import dev.cloudmapdns.server.registry.Operation;
import dev.cloudmapdns.server.registry.OperationStatus;
import dev.cloudmapdns.server.registry.OperationTarget;
import dev.cloudmapdns.server.registry.OperationType;
import dev.cloudmapdns.server.registry.RecordType;
import dev.cloudmapdns.server.registry.RegisteredInstance;
import dev.cloudmapdns.server.registry.RoutingPolicy;
import dev.cloudmapdns.server.registry.Service;
import dev.cloudmapdns.server.registry.StateDelta;
import dev.cloudmapdns.server.store.SqliteRegistryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Benchmark (5): start-up time of the packaged server on a SQLite store holding many instances,
 * side by side with an empty store in the same run. The database is written directly through the
 * store (one namespace, services of 1,000 instances each, one operation per registration, of which
 * the newest 10,000 are kept), then the server is started on it several times. "Ready" is from
 * launching the JVM to the first healthy {@code /health}; the registry is loaded and DNS compiled
 * before the HTTP server listens, and the driver checks that DNS answers the last instance.
 *
 * <p>{@code java -cp benchmarks.jar dev.cloudmapdns.benchmarks.StoreStartupDriver
 * [instances=100000] [rounds=3] [jar=server/target/cloudmap-dns.jar]}
 */
public final class StoreStartupDriver {
  private static final int PER_SERVICE = 1_000;
  private static final Pattern LOADED = Pattern.compile("loaded in (\\d+) ms");

  private StoreStartupDriver() {}

  public static void main(String[] args) throws Exception {
    int instances = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path jar = Path.of(args.length > 2 ? args[2] : "server/target/cloudmap-dns.jar");
    Path work = Files.createDirectories(Path.of("target", "store-startup"));
    Path full = Files.createTempDirectory(work, "full-").resolve("cloudmap.db");
    long writing = System.nanoTime();
    String lastHost = fill(full, instances);
    System.out.printf(
        "wrote %d instances in %d ms, database %d MiB%n",
        instances, (System.nanoTime() - writing) / 1_000_000, Files.size(full) >> 20);
    Path empty = Files.createTempDirectory(work, "empty-").resolve("cloudmap.db");
    System.out.println("round | store              | ready ms | registry loaded ms");
    for (int round = 1; round <= rounds; round++) {
      start(jar, round, "empty", empty, null);
      start(jar, round, instances + " instances", full, lastHost);
    }
  }

  private static void start(Path jar, int round, String label, Path store, String host)
      throws Exception {
    try (ServerProcess server = ServerProcess.start(jar, "--store-file=" + store)) {
      if (host != null) {
        requireAnswer(server.dnsPort, host);
      }
      Matcher loaded = LOADED.matcher(server.output());
      System.out.printf(
          "%5d | %-18s | %8d | %s%n",
          round, label, server.readyNanos / 1_000_000, loaded.find() ? loaded.group(1) : "?");
    }
  }

  /** Writes the registry; returns the DNS name of the last instance. */
  static String fill(Path file, int instances) {
    Instant now = Instant.now();
    String region = "us-east-1";
    String arn = "arn:aws:servicediscovery:" + region + ":123456789012:";
    long version = 0;
    String lastHost = null;
    try (SqliteRegistryStore store =
        SqliteRegistryStore.open(file, SqliteRegistryStore.Synchronous.NORMAL)) {
      Namespace namespace =
          new Namespace(
              "ns-bench0000000000",
              arn + "namespace/ns-bench0000000000",
              "bench.local",
              NamespaceType.DNS_PRIVATE,
              null,
              Namespace.DEFAULT_SOA_TTL,
              "vpc-1",
              null,
              now);
      store.commit(
          List.of(new DeltaSet(++version, List.of(new StateDelta.NamespacePut(namespace)))));
      DnsConfig dns =
          new DnsConfig(
              RoutingPolicy.MULTIVALUE,
              List.of(new DnsRecord(RecordType.A, 60), new DnsRecord(RecordType.SRV, 60)));
      for (int s = 0; s * PER_SERVICE < instances; s++) {
        String id = String.format("srv-bench%07d", s);
        Service service =
            new Service(
                id,
                arn + "service/" + id,
                "svc-" + s,
                namespace.id(),
                null,
                dns,
                null,
                null,
                null,
                now);
        List<DeltaSet> batch = new ArrayList<>();
        batch.add(new DeltaSet(++version, List.of(new StateDelta.ServicePut(service))));
        for (int i = 0; i < PER_SERVICE && s * PER_SERVICE + i < instances; i++) {
          String instanceId = "i-" + i;
          Instance instance =
              new Instance(
                  instanceId,
                  Map.of(
                      "AWS_INSTANCE_IPV4", "10." + s % 250 + "." + i / 250 + "." + (i % 250 + 1),
                      "AWS_INSTANCE_PORT", "8080",
                      "team", "bench"),
                  "request-" + s + "-" + i,
                  now);
          Operation operation =
              new Operation(
                  String.format("op%030d-%08d", s, i),
                  OperationType.REGISTER_INSTANCE,
                  OperationStatus.SUCCESS,
                  Map.of(
                      OperationTarget.NAMESPACE, namespace.id(),
                      OperationTarget.SERVICE, id,
                      OperationTarget.INSTANCE, instanceId),
                  now,
                  now,
                  instance.creatorRequestId(),
                  region);
          batch.add(
              new DeltaSet(
                  ++version,
                  List.of(
                      new StateDelta.InstancePut(
                          id, new RegisteredInstance(instance, HealthStatus.HEALTHY), i + 1L),
                      new StateDelta.OperationAdded(operation))));
          lastHost = instanceId + "." + service.name() + ".bench.local.";
        }
        store.commit(batch);
      }
    }
    return lastHost;
  }

  /** Fails unless DNS on {@code port} answers {@code host} with one A record. */
  static void requireAnswer(int port, String host) throws Exception {
    SimpleResolver resolver = new SimpleResolver("127.0.0.1");
    resolver.setPort(port);
    resolver.setTimeout(Duration.ofSeconds(5));
    Lookup lookup = new Lookup(Name.fromString(host), Type.A);
    lookup.setResolver(resolver);
    lookup.setCache(null);
    Record[] answer = lookup.run();
    if (answer == null || answer.length != 1) {
      throw new IllegalStateException(
          "DNS does not answer " + host + ": " + lookup.getErrorString());
    }
  }
}
