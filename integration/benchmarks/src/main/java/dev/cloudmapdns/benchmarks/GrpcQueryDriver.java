package dev.cloudmapdns.benchmarks;

import com.google.protobuf.ByteString;
import dev.cloudmapdns.integration.CoreDnsProcess;
import dev.cloudmapdns.integration.FreePorts;
import dev.cloudmapdns.proto.coredns.DnsPacket;
import dev.cloudmapdns.proto.coredns.DnsServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 *       ceiling;
 *   <li>our {@code Query} sent a 2-byte packet, which the server answers with the status {@code
 *       INVALID_ARGUMENT} before any DNS work: what a call shed with a status would cost it.
 * </ol>
 *
 * <p>Besides calls per second it reports the CPU time the serving process spent per call (all
 * threads, user and system, from the OS), so that a status reply can be priced against an answer on
 * the same server.
 *
 * <p>When {@code COREDNS_BIN} names a CoreDNS binary, each round also runs dnsperf through a real
 * CoreDNS to us and through another to the fixed backend (the "CoreDNS → us" ratio).
 *
 * <p>With a baseline, its Query and empty unary run in the same rounds too (a before/after): a jar,
 * optionally followed by settings for it, comma-separated ({@code
 * server/target/cloudmap-dns.jar,--cloudmap.grpc.max-calls-per-connection=100}).
 *
 * <p>{@code java -cp benchmarks.jar dev.cloudmapdns.benchmarks.GrpcQueryDriver [rounds=3]
 * [seconds=10] [in-flight=64] [jar=server/target/cloudmap-dns.jar] [baseline]}
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
    // The baseline: a jar, optionally followed by settings for it, comma-separated.
    Optional<String> baseline = args.length > 4 ? Optional.of(args[4]) : Optional.empty();
    Path directory = Files.createTempDirectory("cloudmap-dns-grpc-");
    Path seed = BenchZone.seed(directory);
    int fixedPort = FreePorts.pick(1)[0];
    Process fixed = startFixedBackend(fixedPort, directory);
    Optional<Path> coredns =
        Optional.ofNullable(System.getenv("COREDNS_BIN")).filter(s -> !s.isBlank()).map(Path::of);
    try (ServerProcess ours = ServerProcess.start(jar, "--store=memory", "--seed=" + seed);
        ServerProcess baselineServer =
            baseline.isEmpty()
                ? null
                : ServerProcess.startWithSettings(
                    baseline.get(), "--store=memory", "--seed=" + seed)) {
      ManagedChannel toUs = channel(ours.grpcPort);
      ManagedChannel toFixed = channel(fixedPort);
      DnsPacket query = query(FixedAnswerDnsServer.NAME);
      HealthCheckRequest empty = HealthCheckRequest.getDefaultInstance();
      List<Target<?, ?>> targets =
          new ArrayList<>(
              List.of(
                  Target.answered(
                      "our Query", toUs, ours.pid(), DnsServiceGrpc.getQueryMethod(), query),
                  Target.answered(
                      "fixed-answer Query",
                      toFixed,
                      fixed.pid(),
                      DnsServiceGrpc.getQueryMethod(),
                      query),
                  Target.answered(
                      "our empty unary", toUs, ours.pid(), HealthGrpc.getCheckMethod(), empty),
                  new Target<>(
                      "our status reply",
                      toUs,
                      ours.pid(),
                      DnsServiceGrpc.getQueryMethod(),
                      UNREADABLE,
                      Status.Code.INVALID_ARGUMENT)));
      ManagedChannel toBaseline = baselineServer == null ? null : channel(baselineServer.grpcPort);
      if (toBaseline != null) {
        targets.add(
            Target.answered(
                "baseline Query",
                toBaseline,
                baselineServer.pid(),
                DnsServiceGrpc.getQueryMethod(),
                query));
        targets.add(
            Target.answered(
                "baseline empty unary",
                toBaseline,
                baselineServer.pid(),
                HealthGrpc.getCheckMethod(),
                empty));
      }
      for (Target<?, ?> target : targets) {
        target.run(inFlight, 5); // warm-up: the JIT of both servers and of this driver
      }
      System.out.printf(
          "%d in flight on one channel per target, %d s per run%n", inFlight, seconds);
      System.out.println(
          "round | target               |   calls/s | p50 µs | p99 µs | errors | server CPU µs/call");
      List<double[]> perRound = new ArrayList<>();
      List<double[]> cpuPerRound = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        double[] rates = new double[targets.size()];
        double[] cpu = new double[targets.size()];
        for (int t = 0; t < targets.size(); t++) {
          Load load = targets.get(t).run(inFlight, seconds);
          rates[t] = load.perSecond();
          cpu[t] = load.serverCpuMicrosPerCall();
          System.out.printf(
              "%5d | %-20s | %9.0f | %6d | %6d | %6d | %18.1f%n",
              round,
              targets.get(t).label,
              load.perSecond(),
              load.p50Micros(),
              load.p99Micros(),
              load.errors(),
              cpu[t]);
        }
        perRound.add(rates);
        cpuPerRound.add(cpu);
        System.out.printf(
            "      our Query / fixed-answer %.2f, our Query / our empty unary %.2f,"
                + " our status reply / our Query %.2f (server CPU per call %.2f)%n",
            rates[0] / rates[1], rates[0] / rates[2], rates[3] / rates[0], cpu[3] / cpu[0]);
        if (toBaseline != null) {
          System.out.printf(
              "      baseline Query / fixed-answer %.2f, baseline Query / its empty unary %.2f%n",
              rates[4] / rates[1], rates[4] / rates[5]);
        }
      }
      System.out.printf(
          "median: our Query / fixed-answer %.2f, our Query / our empty unary %.2f%n",
          median(perRound, 0, 1), median(perRound, 0, 2));
      System.out.printf(
          "median: our status reply / our Query %.2f calls/s, %.2f server CPU per call%n",
          median(perRound, 3, 0), median(cpuPerRound, 3, 0));
      if (toBaseline != null) {
        System.out.printf(
            "median: baseline Query / fixed-answer %.2f, baseline Query / its empty unary %.2f%n",
            median(perRound, 4, 1), median(perRound, 4, 5));
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

  /** Shorter than a DNS header: our server answers it with INVALID_ARGUMENT, doing no DNS work. */
  private static final DnsPacket UNREADABLE =
      DnsPacket.newBuilder().setMsg(ByteString.copyFrom(new byte[] {0x12, 0x67})).build();

  private static DnsPacket query(String name) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, 1));
    query.getHeader().setID(4711);
    if (query.getSection(Section.QUESTION).size() != 1) {
      throw new IllegalStateException("one question");
    }
    return DnsPacket.newBuilder().setMsg(ByteString.copyFrom(query.toWire())).build();
  }

  /** One measured run: completed calls, their latencies, failures. */
  private record Load(
      long calls, long errors, double seconds, long[] latencyNanos, Duration serverCpu) {
    double perSecond() {
      return calls / seconds;
    }

    double serverCpuMicrosPerCall() {
      return calls == 0 ? Double.NaN : serverCpu.toNanos() / 1_000.0 / calls;
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

  /**
   * A method to call on a channel with a fixed request, as many times as the load allows; {@code
   * pid} is the serving process, charged the CPU time. A call completes when it ends normally or,
   * if {@code expectedStatus} is set, with that status; any other end is an error.
   */
  private record Target<Q, R>(
      String label,
      ManagedChannel channel,
      long pid,
      MethodDescriptor<Q, R> method,
      Q request,
      Status.Code expectedStatus) {

    static <Q, R> Target<Q, R> answered(
        String label, ManagedChannel channel, long pid, MethodDescriptor<Q, R> method, Q request) {
      return new Target<>(label, channel, pid, method, request, null);
    }

    Load run(int inFlight, int seconds) throws InterruptedException {
      Duration cpuBefore = ServerProcess.cpuTime(pid);
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
                if (expectedStatus != null && Status.fromThrowable(t).getCode() == expectedStatus) {
                  completed();
                } else {
                  errors.incrementAndGet();
                  permits.release();
                }
              }

              @Override
              public void onCompleted() {
                completed();
              }

              private void completed() {
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
      Duration cpu = ServerProcess.cpuTime(pid).minus(cpuBefore);
      return new Load(calls.get(), errors.get(), elapsed, latencies, cpu);
    }
  }
}
