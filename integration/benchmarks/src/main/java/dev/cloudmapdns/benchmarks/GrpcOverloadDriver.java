package dev.cloudmapdns.benchmarks;

import com.google.protobuf.ByteString;
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
 * <p>{@code java -cp benchmarks.jar dev.cloudmapdns.benchmarks.GrpcOverloadDriver [seconds=30]
 * [channels=4] [jar=server/target/cloudmap-dns.jar]}
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
    Path jar = arguments.serverJar(2);
    Path directory = Files.createTempDirectory("cloudmap-dns-grpc-overload-");
    Path seed = BenchZone.seed(directory);
    try (ServerProcess server = ServerProcess.start(jar, "--store=memory", "--seed=" + seed)) {
      List<ManagedChannel> channels = new ArrayList<>();
      for (int i = 0; i < channelCount; i++) {
        channels.add(
            NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort).usePlaintext().build());
      }
      DnsPacket query = query();
      closedLoop(channels, query, 5); // warm-up
      Outcomes capacity = closedLoop(channels, query, 10);
      long rssBefore = OverloadDriver.residentKib(server.pid());
      System.out.printf(
          "capacity, %d channels x %d in flight: %s; resident %,d KiB%n",
          channelCount, IN_FLIGHT_PER_CHANNEL, capacity, rssBefore);

      long offered = Math.round(2 * capacity.answeredPerSecond());
      AtomicLong peakRss = new AtomicLong(rssBefore);
      List<Long> rssSamples = new ArrayList<>();
      Thread sampler =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  long rss = OverloadDriver.residentKib(server.pid());
                  peakRss.accumulateAndGet(rss, Math::max);
                  synchronized (rssSamples) {
                    rssSamples.add(rss);
                  }
                  try {
                    Thread.sleep(1000);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      sampler.setDaemon(true);
      sampler.start();
      Outcomes overload = openLoop(channels, query, offered, seconds);
      sampler.interrupt();
      sampler.join();
      long rssAfterOverload = OverloadDriver.residentKib(server.pid());
      System.out.printf(
          "2 x capacity offered (%,d calls/s) for %d s: %s%n", offered, seconds, overload);
      System.out.printf(
          "resident memory: before %,d KiB, peak %,d KiB (%+,d), after %,d KiB%n",
          rssBefore, peakRss.get(), peakRss.get() - rssBefore, rssAfterOverload);

      Outcomes after = closedLoop(channels, query, 10);
      System.out.printf(
          "flat out again, right after: %s (%.2f of capacity)%n",
          after, after.answeredPerSecond() / capacity.answeredPerSecond());
      for (ManagedChannel channel : channels) {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
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
    private final long[] latencies = new long[1 << 16];
    private final AtomicLong sampled = new AtomicLong();
    private double seconds;

    void answered(int rcode, long nanos) {
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
