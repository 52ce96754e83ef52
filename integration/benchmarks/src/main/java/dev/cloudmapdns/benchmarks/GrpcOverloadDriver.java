package dev.cloudmapdns.benchmarks;

import com.google.protobuf.ByteString;
import dev.cloudmapdns.integration.CloudMapHttp;
import dev.cloudmapdns.proto.coredns.DnsPacket;
import dev.cloudmapdns.proto.coredns.DnsServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Benchmark (12b): the gRPC {@code Query} path under twice the load it can answer, as (12) is for
 * UDP. First its capacity: calls answered flat out, as CoreDNS sends them (a few channels, many
 * unary calls in flight, a 5 s deadline each). Then, for the overload period, calls are offered at
 * twice that rate on the same channels, open loop (sent on a clock whatever comes back, as pods'
 * queries arrive), with at most {@code MAX_OUTSTANDING} waiting on the driver's side; every call
 * ends as an answer (NOERROR, or SERVFAIL when shed), a gRPC status (DEADLINE_EXCEEDED,
 * RESOURCE_EXHAUSTED, UNAVAILABLE...), or is not sent because the driver's own bound is full. The
 * server's resident memory is read every second. Then flat out again: did it recover?
 *
 * <p>It also compares the replies the server counted over gRPC during the overload ({@code
 * cloudmap_dns_queries_total}, transport grpc, read from {@code /metrics}) with the answers the
 * driver received: the difference is work the server did for callers that had already given up
 * (their deadline passed while the call waited in the client or in the socket buffers).
 *
 * <p>{@code java -cp benchmarks.jar dev.cloudmapdns.benchmarks.GrpcOverloadDriver [seconds=30]
 * [channels=4] [rounds=1] [jar=server/target/cloudmap-dns.jar] [baseline...]}
 *
 * <p>Each baseline is a server jar, optionally followed by settings for it, comma-separated (as in
 * {@link UdpVsKnotDriver}): {@code
 * server/target/cloudmap-dns.jar,--cloudmap.grpc.max-calls-per-connection=100}. In every round each
 * server, fresh, goes through the three phases in turn; a summary table ends the run.
 */
public final class GrpcOverloadDriver {
  private static final long DEADLINE_SECONDS = 5;
  private static final int IN_FLIGHT_PER_CHANNEL = 64;

  /** Calls the driver lets wait for an answer at once, over all channels; beyond: not sent. */
  private static final int MAX_OUTSTANDING = 50_000;

  private GrpcOverloadDriver() {}

  public static void main(String[] args) throws Exception {
    DriverArguments arguments = new DriverArguments(args);
    int seconds = arguments.number(0, 30);
    int channelCount = arguments.number(1, 4);
    int rounds = arguments.number(2, 1);
    Path directory = Files.createTempDirectory("cloudmap-dns-grpc-overload-");
    Path seed = BenchZone.seed(directory);
    List<String> servers = new ArrayList<>();
    servers.add(arguments.serverJar(3).toString());
    servers.addAll(List.of(args).subList(Math.min(4, args.length), args.length));
    List<String> summary = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      for (int i = 0; i < servers.size(); i++) {
        String name = i == 0 ? "ours" : "base" + i;
        System.out.printf("== round %d, %s: %s%n", round, name, servers.get(i));
        try (ServerProcess server =
            ServerProcess.startWithSettings(servers.get(i), "--store=memory", "--seed=" + seed)) {
          summary.add(
              String.format(
                  "%5d | %-5s | %s", round, name, overload(server, channelCount, seconds)));
        }
      }
    }
    System.out.println(
        "round | server | capacity calls/s | goodput in overload / capacity | replies to callers"
            + " who gave up | resident memory peak | flat out after / capacity");
    summary.forEach(System.out::println);
  }

  /** The three phases against one server; returns its summary line. */
  private static String overload(ServerProcess server, int channelCount, int seconds)
      throws Exception {
    List<ManagedChannel> channels = new ArrayList<>();
    for (int i = 0; i < channelCount; i++) {
      channels.add(
          NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort).usePlaintext().build());
    }
    DnsPacket query = query();
    closedLoop(channels, query, 10); // warm-up: the JIT, or the capacity and offered rate are low
    Outcomes capacity = closedLoop(channels, query, 10);
    long rssBefore = OverloadDriver.residentKib(server.pid());
    System.out.printf(
        "capacity, %d channels x %d in flight: %s; resident %,d KiB%n",
        channelCount, IN_FLIGHT_PER_CHANNEL, capacity, rssBefore);

    long offered = Math.round(2 * capacity.answeredPerSecond());
    AtomicLong peakRss = new AtomicLong(rssBefore);
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                peakRss.accumulateAndGet(OverloadDriver.residentKib(server.pid()), Math::max);
                try {
                  Thread.sleep(1000);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sampler.setDaemon(true);
    CloudMapHttp http = new CloudMapHttp(server.httpPort);
    long repliesBefore = grpcReplies(http.metrics());
    sampler.start();
    Outcomes overload = openLoop(channels, query, offered, seconds);
    sampler.interrupt();
    sampler.join();
    // Calls the driver gave up on may still be in the socket: let the server read them.
    Thread.sleep(2_000);
    long repliesSent = grpcReplies(http.metrics()) - repliesBefore;
    long rssAfterOverload = OverloadDriver.residentKib(server.pid());
    System.out.printf(
        "2 x capacity offered (%,d calls/s) for %d s: %s%n", offered, seconds, overload);
    System.out.printf(
        "resident memory: before %,d KiB, peak %,d KiB (%+,d), after %,d KiB%n",
        rssBefore, peakRss.get(), peakRss.get() - rssBefore, rssAfterOverload);
    long abandoned = repliesSent - overload.replies();
    double abandonedShare = 100.0 * abandoned / Math.max(1, repliesSent);
    System.out.printf(
        "the server sent %,d replies over gRPC, the driver received %,d: %,d (%.1f %%) answered"
            + " a caller that had given up%n",
        repliesSent, overload.replies(), abandoned, abandonedShare);

    Outcomes after = closedLoop(channels, query, 10);
    double recovered = after.answeredPerSecond() / capacity.answeredPerSecond();
    System.out.printf("flat out again, right after: %s (%.2f of capacity)%n", after, recovered);
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    return String.format(
        "%,16.0f | %30.2f | %,15d (%4.1f %%) | %+,17d KiB | %.2f",
        capacity.answeredPerSecond(),
        overload.answeredPerSecond() / capacity.answeredPerSecond(),
        abandoned,
        abandonedShare,
        peakRss.get() - rssBefore,
        recovered);
  }

  /** As CoreDNS does: a fixed number of calls in flight per channel, each sent when one ends. */
  private static Outcomes closedLoop(List<ManagedChannel> channels, DnsPacket query, int seconds)
      throws InterruptedException {
    Outcomes outcomes = new Outcomes();
    Semaphore permits = new Semaphore(IN_FLIGHT_PER_CHANNEL * channels.size());
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    int next = 0;
    while (System.nanoTime() < end) {
      if (permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        send(channels.get(next++ % channels.size()), query, outcomes, permits::release);
      }
    }
    permits.acquire(IN_FLIGHT_PER_CHANNEL * channels.size());
    outcomes.finish();
    return outcomes;
  }

  /** Calls sent on a clock at {@code perSecond}, answered or not, within the driver's bound. */
  private static Outcomes openLoop(
      List<ManagedChannel> channels, DnsPacket query, long perSecond, int seconds)
      throws InterruptedException {
    Outcomes outcomes = new Outcomes();
    Semaphore outstanding = new Semaphore(MAX_OUTSTANDING);
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    long sent = 0;
    while (System.nanoTime() < end) {
      long due = (System.nanoTime() - start) * perSecond / 1_000_000_000L;
      if (sent >= due) {
        LockSupport.parkNanos(50_000);
        continue;
      }
      for (; sent < due; sent++) {
        if (outstanding.tryAcquire()) {
          send(channels.get((int) (sent % channels.size())), query, outcomes, outstanding::release);
        } else {
          outcomes.count("not sent (driver bound full)");
        }
      }
    }
    // The offered period is over; the calls still out end by their deadline.
    outstanding.tryAcquire(MAX_OUTSTANDING, DEADLINE_SECONDS + 5, TimeUnit.SECONDS);
    outcomes.finish(TimeUnit.NANOSECONDS.toSeconds(end - start));
    return outcomes;
  }

  private static void send(
      ManagedChannel channel, DnsPacket query, Outcomes outcomes, Runnable done) {
    long sent = System.nanoTime();
    ClientCalls.asyncUnaryCall(
        channel.newCall(
            DnsServiceGrpc.getQueryMethod(),
            CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)),
        query,
        new StreamObserver<DnsPacket>() {
          @Override
          public void onNext(DnsPacket reply) {
            try {
              int rcode = new Message(reply.getMsg().toByteArray()).getRcode();
              outcomes.answered(rcode, System.nanoTime() - sent);
            } catch (Exception e) {
              outcomes.count("unreadable reply");
            }
          }

          @Override
          public void onError(Throwable t) {
            outcomes.count(Status.fromThrowable(t).getCode().toString());
            done.run();
          }

          @Override
          public void onCompleted() {
            done.run();
          }
        });
  }

  /** The gRPC replies a server has counted since start, from its {@code /metrics} text. */
  static long grpcReplies(String metrics) {
    return metrics
        .lines()
        .filter(line -> line.startsWith("cloudmap_dns_queries_total{"))
        .filter(line -> line.contains("transport=\"grpc\""))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static DnsPacket query() throws Exception {
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString(FixedAnswerDnsServer.NAME), Type.A, 1));
    return DnsPacket.newBuilder().setMsg(ByteString.copyFrom(query.toWire())).build();
  }

  /** How the calls of one phase ended, and how long the NOERROR ones took. */
  private static final class Outcomes {
    private final long start = System.nanoTime();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong replies = new AtomicLong();
    private final long[] latencies = new long[1 << 16];
    private final AtomicLong sampled = new AtomicLong();
    private double seconds;

    void answered(int rcode, long nanos) {
      replies.incrementAndGet();
      count(Rcode.string(rcode));
      if (rcode == Rcode.NOERROR) {
        long n = answered.incrementAndGet();
        if ((n & 15) == 0) {
          long i = sampled.getAndIncrement();
          if (i < latencies.length) {
            latencies[(int) i] = nanos;
          }
        }
      }
    }

    void count(String outcome) {
      counts.computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet();
    }

    void finish() {
      seconds = (System.nanoTime() - start) / 1e9;
    }

    void finish(long offeredSeconds) {
      seconds = offeredSeconds;
    }

    /** DNS replies received, whatever their rcode. */
    long replies() {
      return replies.get();
    }

    double answeredPerSecond() {
      return answered.get() / seconds;
    }

    private long percentileMillis(double p) {
      int n = (int) Math.min(sampled.get(), latencies.length);
      if (n == 0) {
        return 0;
      }
      long[] sorted = java.util.Arrays.copyOf(latencies, n);
      java.util.Arrays.sort(sorted);
      return TimeUnit.NANOSECONDS.toMillis(sorted[(int) Math.min(n - 1, p * n)]);
    }

    @Override
    public String toString() {
      Map<String, Long> ended = new TreeMap<>();
      counts.forEach((outcome, n) -> ended.put(outcome, n.get()));
      return String.format(
          "%,.0f answered NOERROR/s, p50 %d ms, p99 %d ms; ended: %s",
          answeredPerSecond(), percentileMillis(0.5), percentileMillis(0.99), ended);
    }
  }
}
