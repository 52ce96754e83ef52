package dev.cloudmapdns.benchmarks;

import com.google.protobuf.ByteString;
import dev.cloudmapdns.integration.CoreDnsProcess;
import dev.cloudmapdns.integration.FreePorts;
import dev.cloudmapdns.proto.coredns.DnsPacket;
import dev.cloudmapdns.proto.coredns.DnsServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Benchmark (9): the gRPC path CoreDNS takes, with a load driver that calls the way its grpc plugin
 * does (one channel per upstream, many concurrent unary {@code Query} calls, each with a 5 s
 * deadline), against three targets in turn in every round:
 *
 * <ol>
 *   <li>our {@code DnsService/Query}, asked for {@code web.bench.local A} (3 instances);
 *   <li>{@link FixedAnswerDnsServer} in a process of its own: a backend that does nothing but send
 *       back one fixed packet, the plugin's ceiling;
 *   <li>an empty unary RPC on our own server ({@code grpc.health.v1.Health/Check}): our transport's
 *       ceiling.
 * </ol>
 *
 * <p>When {@code COREDNS_BIN} names a CoreDNS binary, each round also runs dnsperf through a real
 * CoreDNS to us and through another to the fixed backend (the "CoreDNS → us" ratio).
 *
 * <p>With a second jar, its Query and empty unary run in the same rounds too (a before/after).
 *
 * <p>{@code java -cp benchmarks.jar dev.cloudmapdns.benchmarks.GrpcQueryDriver [rounds=3]
 * [seconds=10] [in-flight=64] [jar=server/target/cloudmap-dns.jar] [baseline jar]}
 */
public final class GrpcQueryDriver {
  private static final long DEADLINE_SECONDS = 5;

  private GrpcQueryDriver() {}

  public static void main(String[] args) throws Exception {
    DriverArguments arguments = new DriverArguments(args);
    int rounds = arguments.number(0, 3);
    int seconds = arguments.number(1, 10);
    int inFlight = arguments.number(2, 64);
    Path jar = arguments.serverJar(3);
    Optional<Path> baselineJar = args.length > 4 ? Optional.of(Path.of(args[4])) : Optional.empty();
    Path directory = Files.createTempDirectory("cloudmap-dns-grpc-");
    Path seed = BenchZone.seed(directory);
    int fixedPort = FreePorts.pick(1)[0];
    Process fixed = startFixedBackend(fixedPort, directory);
    Optional<Path> coredns =
        Optional.ofNullable(System.getenv("COREDNS_BIN")).filter(s -> !s.isBlank()).map(Path::of);
    try (ServerProcess ours = ServerProcess.start(jar, "--store=memory", "--seed=" + seed);
        ServerProcess baseline =
            baselineJar.isPresent()
                ? ServerProcess.start(baselineJar.get(), "--store=memory", "--seed=" + seed)
                : null) {
      ManagedChannel toUs = channel(ours.grpcPort);
      ManagedChannel toFixed = channel(fixedPort);
      DnsPacket query = query(FixedAnswerDnsServer.NAME);
      HealthCheckRequest empty = HealthCheckRequest.getDefaultInstance();
      List<Target<?, ?>> targets =
          new ArrayList<>(
              List.of(
                  new Target<>("our Query", toUs, DnsServiceGrpc.getQueryMethod(), query),
                  new Target<>(
                      "fixed-answer Query", toFixed, DnsServiceGrpc.getQueryMethod(), query),
                  new Target<>("our empty unary", toUs, HealthGrpc.getCheckMethod(), empty)));
      ManagedChannel toBaseline = baseline == null ? null : channel(baseline.grpcPort);
      if (toBaseline != null) {
        targets.add(
            new Target<>("baseline Query", toBaseline, DnsServiceGrpc.getQueryMethod(), query));
        targets.add(
            new Target<>("baseline empty unary", toBaseline, HealthGrpc.getCheckMethod(), empty));
      }
      for (Target<?, ?> target : targets) {
        target.run(inFlight, 5); // warm-up: the JIT of both servers and of this driver
      }
      System.out.printf(
          "%d in flight on one channel per target, %d s per run%n", inFlight, seconds);
      System.out.println("round | target             |   calls/s | p50 µs | p99 µs | errors");
      List<double[]> perRound = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        double[] rates = new double[targets.size()];
        for (int t = 0; t < targets.size(); t++) {
          Load load = targets.get(t).run(inFlight, seconds);
          rates[t] = load.perSecond();
          System.out.printf(
              "%5d | %-18s | %9.0f | %6d | %6d | %d%n",
              round,
              targets.get(t).label,
              load.perSecond(),
              load.p50Micros(),
              load.p99Micros(),
              load.errors());
        }
        perRound.add(rates);
        System.out.printf(
            "      our Query / fixed-answer %.2f, our Query / our empty unary %.2f%n",
            rates[0] / rates[1], rates[0] / rates[2]);
        if (toBaseline != null) {
          System.out.printf(
              "      baseline Query / fixed-answer %.2f, baseline Query / its empty unary %.2f%n",
              rates[3] / rates[1], rates[3] / rates[4]);
        }
      }
      System.out.printf(
          "median: our Query / fixed-answer %.2f, our Query / our empty unary %.2f%n",
          median(perRound, 0, 1), median(perRound, 0, 2));
      if (toBaseline != null) {
        System.out.printf(
            "median: baseline Query / fixed-answer %.2f, baseline Query / its empty unary %.2f%n",
            median(perRound, 3, 1), median(perRound, 3, 4));
        toBaseline.shutdownNow();
      }
      if (coredns.isPresent()) {
        throughCoreDns(coredns.get(), directory, ours.grpcPort, fixedPort, rounds, seconds);
      } else {
        System.out.println("COREDNS_BIN is not set: the run through a real CoreDNS is skipped");
      }
      toUs.shutdownNow();
      toFixed.shutdownNow();
    } finally {
      fixed.destroy();
      fixed.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void throughCoreDns(
      Path binary, Path directory, int ourPort, int fixedPort, int rounds, int seconds)
      throws Exception {
    Path queries = Files.write(directory.resolve("web.txt"), List.of("web.bench.local A"));
    Path toUsDir = Files.createDirectories(directory.resolve("coredns-us"));
    Path toFixedDir = Files.createDirectories(directory.resolve("coredns-fixed"));
    try (CoreDnsProcess toUs = coreDns(binary, toUsDir, ourPort);
        CoreDnsProcess toFixed = coreDns(binary, toFixedDir, fixedPort)) {
      Dnsperf.run(toUs.port, queries, Dnsperf.Mode.UDP, 4, 3);
      Dnsperf.run(toFixed.port, queries, Dnsperf.Mode.UDP, 4, 3);
      System.out.println("round | CoreDNS → us q/s | lost | CoreDNS → fixed q/s | lost | ratio");
      double[] ratios = new double[rounds];
      for (int round = 1; round <= rounds; round++) {
        Dnsperf.Result a = Dnsperf.run(toUs.port, queries, Dnsperf.Mode.UDP, 4, seconds);
        Dnsperf.Result b = Dnsperf.run(toFixed.port, queries, Dnsperf.Mode.UDP, 4, seconds);
        ratios[round - 1] = a.queriesPerSecond() / b.queriesPerSecond();
        System.out.printf(
            "%5d | %16.0f | %4d | %19.0f | %4d | %.2f%n",
            round,
            a.queriesPerSecond(),
            a.lost(),
            b.queriesPerSecond(),
            b.lost(),
            ratios[round - 1]);
      }
      Arrays.sort(ratios);
      System.out.printf("median CoreDNS → us / CoreDNS → fixed %.2f%n", ratios[rounds / 2]);
    }
  }

  private static CoreDnsProcess coreDns(Path binary, Path directory, int upstream)
      throws Exception {
    int port = CoreDnsProcess.freeDnsPort();
    return CoreDnsProcess.start(
        binary,
        directory,
        port,
        BenchZone.APEX
            + ":"
            + port
            + " {\n  bind 127.0.0.1\n  grpc . 127.0.0.1:"
            + upstream
            + "\n}\n");
  }

  private static double median(List<double[]> rounds, int a, int b) {
    double[] ratios = rounds.stream().mapToDouble(r -> r[a] / r[b]).sorted().toArray();
    return ratios[ratios.length / 2];
  }

  private static Process startFixedBackend(int port, Path directory) throws Exception {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                FixedAnswerDnsServer.class.getName(),
                Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("fixed.log").toFile())
            .start();
    ManagedChannel probe = channel(port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        DnsServiceGrpc.newBlockingStub(probe)
            .withDeadlineAfter(1, TimeUnit.SECONDS)
            .query(query(FixedAnswerDnsServer.NAME));
        break;
      } catch (RuntimeException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IllegalStateException("the fixed-answer backend did not start", e);
        }
        Thread.sleep(50);
      }
    }
    probe.shutdownNow();
    return process;
  }

  private static ManagedChannel channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  private static DnsPacket query(String name) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, 1));
    query.getHeader().setID(4711);
    if (query.getSection(Section.QUESTION).size() != 1) {
      throw new IllegalStateException("one question");
    }
    return DnsPacket.newBuilder().setMsg(ByteString.copyFrom(query.toWire())).build();
  }

  /** One measured run: completed calls, their latencies, failures. */
  private record Load(long calls, long errors, double seconds, long[] latencyNanos) {
    double perSecond() {
      return calls / seconds;
    }

    long p50Micros() {
      return percentile(0.50);
    }

    long p99Micros() {
      return percentile(0.99);
    }

    private long percentile(double p) {
      if (latencyNanos.length == 0) {
        return 0;
      }
      return latencyNanos[(int) Math.min(latencyNanos.length - 1, p * latencyNanos.length)] / 1000;
    }
  }

  /** A method to call on a channel with a fixed request, as many times as the load allows. */
  private record Target<Q, R>(
      String label, ManagedChannel channel, MethodDescriptor<Q, R> method, Q request) {

    Load run(int inFlight, int seconds) throws InterruptedException {
      Semaphore permits = new Semaphore(inFlight);
      AtomicLong calls = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      // Every 64th latency is kept: enough for percentiles, bounded in memory.
      long[] samples = new long[1 << 20];
      AtomicLong sampled = new AtomicLong();
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < end) {
        if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        long sent = System.nanoTime();
        ClientCalls.asyncUnaryCall(
            channel.newCall(
                method, CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)),
            request,
            new StreamObserver<R>() {
              @Override
              public void onNext(R value) {}

              @Override
              public void onError(Throwable t) {
                errors.incrementAndGet();
                permits.release();
              }

              @Override
              public void onCompleted() {
                long n = calls.incrementAndGet();
                if ((n & 63) == 0) {
                  long i = sampled.getAndIncrement();
                  if (i < samples.length) {
                    samples[(int) i] = System.nanoTime() - sent;
                  }
                }
                permits.release();
              }
            });
      }
      permits.acquire(inFlight);
      double elapsed = (System.nanoTime() - start) / 1e9;
      long[] latencies = Arrays.copyOf(samples, (int) Math.min(sampled.get(), samples.length));
      Arrays.sort(latencies);
      return new Load(calls.get(), errors.get(), elapsed, latencies);
    }
  }
}
