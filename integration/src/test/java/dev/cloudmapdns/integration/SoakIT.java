package dev.cloudmapdns.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudmapdns.dns.testing.CoreDnsLikeClient;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
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
 * The soak: the packaged jar on its default SQLite store for {@code soak.duration} (10 minutes; run
 * with {@code ./mvnw -Psoak -pl integration -am verify}, never in the default build), under
 * everything at once, at a bounded rate: API writes (RegisterInstance, DeregisterInstance,
 * UpdateInstanceCustomHealthStatus) on a custom-health service, each acknowledged write checked in
 * DNS at once; DNS queries over UDP and over gRPC (as CoreDNS asks) on a fixed service, a service
 * whose health flaps and a missing name; active HTTP checks against real servers on loopback
 * addresses that go down and come back. It asserts no errors (every call answered, every rcode and
 * answer as expected), nothing lost (at the end the registry, its health and DNS agree with every
 * acknowledged write; the flapping service answers all its instances once their servers stay up)
 * and a flat heap (the server's heap after a full GC, sampled 30 times, ends within a bound of
 * where it settled). The figures go to {@code target/soak-report.txt} and standard output
 * (docs/benchmarks.md (17)).
 */
class SoakIT {
  private static final Duration DURATION =
      Duration.parse(System.getProperty("soak.duration", "PT10M"));
  private static final String NAMESPACE = "soak.local";
  private static final int CHURN_INSTANCES = 50;
  private static final List<String> STABLE = List.of("127.0.1.1", "127.0.1.2", "127.0.1.3");
  private static final List<String> FLAPPING = List.of("127.0.3.1", "127.0.3.2", "127.0.3.3");

  /** 30 samples over the run (every 20 s in 10 minutes), every 5 s at least. */
  private static final Duration HEAP_SAMPLE_EVERY =
      Duration.ofMillis(Math.max(5_000, DURATION.toMillis() / 30));

  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  /** The heap may end this much above the lowest sample of the first half, and no more. */
  private static final long HEAP_SLACK_BYTES = 16L << 20;

  private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  @Test
  void mixedLoadLosesNothingAnswersConsistentlyAndKeepsTheHeapFlat() throws Exception {
    List<LoopbackServers.Restartable> targets = new ArrayList<>();
    for (String address : FLAPPING) {
      targets.add(LoopbackServers.http(address, null));
    }
    try (CloudMapDnsProcess server =
        CloudMapDnsProcess.start(
            "--cloudmap.health.interval=1s",
            "--cloudmap.health.timeout=500ms",
            "--cloudmap.api.client-rate=0")) {
      CloudMapHttp api = new CloudMapHttp(server.httpPort);
      String namespace = api.createPrivateDnsNamespace(NAMESPACE);
      String churn =
          createService(api, namespace, "churn", Map.of("HealthCheckCustomConfig", Map.of()));
      String stable = createService(api, namespace, "stable", Map.of());
      String flap =
          createService(
              api,
              namespace,
              "flap",
              Map.of(
                  "HealthCheckConfig",
                  Map.of("Type", "HTTP", "ResourcePath", "/health", "FailureThreshold", 1)));
      for (int i = 0; i < STABLE.size(); i++) {
        register(api, stable, "stable-" + i, STABLE.get(i), 80);
      }
      for (int i = 0; i < targets.size(); i++) {
        register(api, flap, "flap-" + i, targets.get(i).address(), targets.get(i).port());
      }
      SimpleResolver udp = new SimpleResolver("127.0.0.1");
      udp.setPort(server.dnsPort);
      udp.setTimeout(Duration.ofSeconds(2));
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort).usePlaintext().build();
      CoreDnsLikeClient grpc = new CoreDnsLikeClient(channel);
      Map<String, String> acknowledged = new TreeMap<>();
      List<long[]> heap = new ArrayList<>();
      long started = System.nanoTime();
      long deadline = started + DURATION.toNanos();
      ExecutorService load = Executors.newFixedThreadPool(5);
      try {
        List<Future<?>> running =
            List.of(
                load.submit(() -> write(api, churn, udp, acknowledged, deadline)),
                load.submit(() -> read("udp", udp::send, deadline)),
                load.submit(() -> read("grpc", grpc::query, deadline)),
                load.submit(() -> flap(targets, deadline)),
                load.submit(() -> sampleHeap(server.pid(), heap, started, deadline)));
        for (Future<?> task : running) {
          task.get(DURATION.toSeconds() + 120, TimeUnit.SECONDS);
        }
      } finally {
        load.shutdownNow();
      }

      // Nothing lost: the registry, its health and DNS hold exactly what was acknowledged.
      Map<String, String> listed = new TreeMap<>();
      JsonNode health =
          api.call("GetInstancesHealthStatus", Map.of("ServiceId", churn, "MaxResults", 100));
      health.get("Status").properties().forEach(e -> listed.put(e.getKey(), e.getValue().asText()));
      assertEquals(acknowledged, listed, "health of every acknowledged instance");
      Set<String> instances = new TreeSet<>();
      api.call("ListInstances", Map.of("ServiceId", churn, "MaxResults", 100))
          .get("Instances")
          .forEach(i -> instances.add(i.get("Id").asText()));
      assertEquals(acknowledged.keySet(), instances, "every acknowledged registration listed");
      for (Map.Entry<String, String> instance : acknowledged.entrySet()) {
        String expected = instance.getValue().equals("HEALTHY") ? address(instance.getKey()) : null;
        assertEquals(
            expected, hostAddress(udp::send, instance.getKey()), instance.getKey() + " over UDP");
        assertEquals(
            expected,
            hostAddress(grpc::query, instance.getKey()),
            instance.getKey() + " over gRPC");
      }
      // Recovery: with every target up again, the flapping service answers all of them.
      targets.forEach(LoopbackServers.Restartable::restart);
      long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      Set<String> answered = Set.of();
      while (System.nanoTime() < settle
          && !(answered = addresses(udp.send(query("flap." + NAMESPACE))))
              .equals(Set.copyOf(FLAPPING))) {
        Thread.sleep(100);
      }
      assertEquals(Set.copyOf(FLAPPING), answered, "the flapping service once its targets are up");
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);

      String report = report(heap, started);
      System.out.print(report);
      Files.writeString(Path.of("target", "soak-report.txt"), report);
      assertTrue(
          errors.isEmpty(),
          errors.size() + " errors, the first: " + errors.stream().limit(10).toList());
      List<String> logged =
          server
              .output()
              .lines()
              .filter(line -> line.contains(" ERROR ") || line.contains("Exception"))
              .toList();
      assertTrue(
          logged.isEmpty(), "the server logged errors: " + logged.stream().limit(10).toList());
      assertHeapFlat(heap);
    } finally {
      targets.forEach(LoopbackServers.Restartable::stop);
    }
  }

  /** One writer: register, flip health, deregister, each acknowledged write checked in DNS. */
  private void write(
      CloudMapHttp api,
      String service,
      SimpleResolver udp,
      Map<String, String> acknowledged,
      long deadline) {
    Random random = new Random(16);
    while (System.nanoTime() < deadline) {
      String id = "churn-" + random.nextInt(CHURN_INSTANCES);
      try {
        String status = acknowledged.get(id);
        if (status == null) {
          register(api, service, id, address(id), 80);
          acknowledged.put(id, "HEALTHY");
          count("register");
        } else if (random.nextInt(3) == 0) {
          api.call("DeregisterInstance", Map.of("ServiceId", service, "InstanceId", id));
          acknowledged.remove(id);
          count("deregister");
        } else {
          String next = status.equals("HEALTHY") ? "UNHEALTHY" : "HEALTHY";
          api.call(
              "UpdateInstanceCustomHealthStatus",
              Map.of("ServiceId", service, "InstanceId", id, "Status", next));
          acknowledged.put(id, next);
          count("custom health");
        }
        String expected = "HEALTHY".equals(acknowledged.get(id)) ? address(id) : null;
        String answered = hostAddress(udp::send, id);
        if (!java.util.Objects.equals(expected, answered)) {
          error(
              "after an acknowledged write " + id + " answered " + answered + ", not " + expected);
        }
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        error("write " + id + ": " + e);
      }
    }
  }

  /** One reader per transport: the fixed service, the flapping one and a missing name. */
  private void read(String transport, Exchange exchange, long deadline) {
    Set<String> stable = Set.copyOf(STABLE);
    while (System.nanoTime() < deadline) {
      try {
        Message fixed = exchange.send(query("stable." + NAMESPACE));
        if (fixed.getRcode() != Rcode.NOERROR || !addresses(fixed).equals(stable)) {
          error(
              transport
                  + " stable answered "
                  + Rcode.string(fixed.getRcode())
                  + " "
                  + addresses(fixed));
        }
        Message flapping = exchange.send(query("flap." + NAMESPACE));
        if (flapping.getRcode() != Rcode.NOERROR || !FLAPPING.containsAll(addresses(flapping))) {
          error(
              transport
                  + " flap answered "
                  + Rcode.string(flapping.getRcode())
                  + " "
                  + addresses(flapping));
        }
        Message missing = exchange.send(query("missing." + NAMESPACE));
        if (missing.getRcode() != Rcode.NXDOMAIN) {
          error(transport + " missing answered " + Rcode.string(missing.getRcode()));
        }
        count(transport + " queries", 3);
        Thread.sleep(2);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        error(transport + ": " + e);
      }
    }
  }

  /** Takes one target down or brings it back every 3 s: a flapping check. */
  private void flap(List<LoopbackServers.Restartable> targets, long deadline) {
    Random random = new Random(3);
    boolean[] down = new boolean[targets.size()];
    while (System.nanoTime() < deadline) {
      int i = random.nextInt(targets.size());
      if (down[i]) {
        targets.get(i).restart();
      } else {
        targets.get(i).stop();
      }
      down[i] = !down[i];
      count("target flips");
      try {
        Thread.sleep(3_000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The server's heap after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}). */
  private void sampleHeap(long pid, List<long[]> samples, long started, long deadline) {
    while (true) {
      try {
        jcmd(pid, "GC.run");
        Matcher used = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        if (used.find()) {
          synchronized (samples) {
            samples.add(
                new long[] {System.nanoTime() - started, Long.parseLong(used.group(1)) << 10});
          }
        } else {
          error("jcmd GC.heap_info gave no heap figure");
        }
        if (System.nanoTime() + HEAP_SAMPLE_EVERY.toNanos() > deadline) {
          return;
        }
        Thread.sleep(HEAP_SAMPLE_EVERY.toMillis());
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        error("heap sample: " + e);
        return;
      }
    }
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid),
                command)
            .redirectErrorStream(true)
            .start();
    String output = new String(jcmd.getInputStream().readAllBytes());
    if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
      throw new IOException("jcmd " + command + " failed: " + output);
    }
    return output;
  }

  /** Settled: the lowest sample of the first half; the end: the highest of the last quarter. */
  private static void assertHeapFlat(List<long[]> heap) {
    assertTrue(heap.size() >= 4, "too few heap samples: " + heap.size());
    long settled =
        heap.subList(0, heap.size() / 2).stream().mapToLong(s -> s[1]).min().orElseThrow();
    long end =
        heap.subList(heap.size() * 3 / 4, heap.size()).stream()
            .mapToLong(s -> s[1])
            .max()
            .orElseThrow();
    assertTrue(
        end <= settled + HEAP_SLACK_BYTES,
        "heap grew from " + (settled >> 10) + " KiB to " + (end >> 10) + " KiB");
  }

  private String report(List<long[]> heap, long started) {
    StringBuilder out = new StringBuilder();
    out.append(String.format("soak of %s: %d errors%n", DURATION, errors.size()));
    new TreeMap<>(counts)
        .forEach((what, n) -> out.append(String.format("  %-16s %,10d%n", what, n.get())));
    out.append("  heap after full GC (s: KiB):");
    for (long[] sample : heap) {
      out.append(
          String.format(" %d: %,d", TimeUnit.NANOSECONDS.toSeconds(sample[0]), sample[1] >> 10));
    }
    out.append(
        String.format(
            "%n  wall %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)));
    return out.toString();
  }

  private interface Exchange {
    Message send(Message query) throws IOException;
  }

  private static Message query(String name) throws IOException {
    return Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN));
  }

  /** The one address a churn instance's own name answers, or null when it answers none. */
  private static String hostAddress(Exchange exchange, String id) throws IOException {
    Set<String> answered = addresses(exchange.send(query(id + ".churn." + NAMESPACE)));
    return answered.isEmpty() ? null : String.join(",", answered);
  }

  private static Set<String> addresses(Message reply) {
    Set<String> addresses = new TreeSet<>();
    for (Record record : reply.getSection(Section.ANSWER)) {
      if (record instanceof ARecord a) {
        addresses.add(a.getAddress().getHostAddress());
      }
    }
    return addresses;
  }

  /** A churn instance's address: data only (its service has custom health, never probed). */
  private static String address(String id) {
    return "127.0.2." + (Integer.parseInt(id.substring(id.indexOf('-') + 1)) + 1);
  }

  private static String createService(
      CloudMapHttp api, String namespace, String name, Map<String, Object> health)
      throws IOException, InterruptedException {
    Map<String, Object> body = new TreeMap<>(health);
    body.put("Name", name);
    body.put("NamespaceId", namespace);
    body.put(
        "DnsConfig",
        Map.of(
            "RoutingPolicy",
            "MULTIVALUE",
            // SRV as well: then every instance has a host name of its own (ID.SERVICE.NAMESPACE).
            "DnsRecords",
            List.of(Map.of("Type", "A", "TTL", 0), Map.of("Type", "SRV", "TTL", 0))));
    return api.call("CreateService", body).at("/Service/Id").asText();
  }

  private static void register(
      CloudMapHttp api, String service, String id, String address, int port)
      throws IOException, InterruptedException {
    api.call(
        "RegisterInstance",
        Map.of(
            "ServiceId",
            service,
            "InstanceId",
            id,
            "Attributes",
            Map.of("AWS_INSTANCE_IPV4", address, "AWS_INSTANCE_PORT", Integer.toString(port))));
  }

  private void count(String what) {
    count(what, 1);
  }

  private void count(String what, long n) {
    counts.computeIfAbsent(what, w -> new AtomicLong()).addAndGet(n);
  }

  private void error(String what) {
    if (errors.size() < 1_000) {
      errors.add(what);
    }
    count("errors");
  }
}
