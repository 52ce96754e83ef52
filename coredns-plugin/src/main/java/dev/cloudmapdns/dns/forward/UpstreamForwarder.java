package dev.cloudmapdns.dns.forward;

import dev.cloudmapdns.dns.engine.DnsForwarder;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;

/**
 * Asks the upstreams in order: each gets the query once, with its own timeout; a timeout, a network
 * error, or a SERVFAIL, REFUSED or NOTIMP reply moves on to the next one. The first other reply
 * wins. dnsjava's non-blocking client does the I/O (UDP first, TCP when the reply is truncated) on
 * its one selector thread; no thread waits for a reply.
 *
 * <p>Each upstream query carries a fresh random ID (the client's is restored on the way back, by
 * {@code DnsWireHandler}), so a client cannot choose the ID an upstream sees.
 */
public final class UpstreamForwarder implements DnsForwarder {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamForwarder.class);
  private static final Executor ON_REPLY_THREAD = Runnable::run;

  private final List<Upstream> upstreams;
  private final List<SimpleResolver> resolvers;
  private final Duration timeout;
  private final ForwardingRecorder recorder;

  public UpstreamForwarder(
      List<Upstream> upstreams, Duration timeout, ForwardingRecorder recorder) {
    if (upstreams.isEmpty()) {
      throw new IllegalArgumentException("forwarding needs at least one upstream");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the forwarding timeout must be positive");
    }
    this.upstreams = List.copyOf(upstreams);
    this.timeout = timeout;
    this.recorder = recorder;
    this.resolvers =
        upstreams.stream()
            .map(
                upstream -> {
                  SimpleResolver resolver = new SimpleResolver(upstream.address());
                  resolver.setTimeout(timeout);
                  return resolver;
                })
            .toList();
  }

  public List<Upstream> upstreams() {
    return upstreams;
  }

  @Override
  public CompletionStage<Message> forward(Message query) {
    CompletableFuture<Message> result = new CompletableFuture<>();
    attempt(query, 0, result);
    return result;
  }

  private void attempt(Message query, int index, CompletableFuture<Message> result) {
    if (index == resolvers.size()) {
      recorder.forwarded(ForwardingRecorder.Outcome.FAILED);
      result.completeExceptionally(
          new IOException("no upstream answered " + query.getQuestion().getName()));
      return;
    }
    Message upstreamQuery = query.clone();
    upstreamQuery.getHeader().setID(ThreadLocalRandom.current().nextInt(0x10000));
    CompletableFuture<Message> reply;
    try {
      reply =
          resolvers
              .get(index)
              .sendAsync(upstreamQuery, ON_REPLY_THREAD)
              .toCompletableFuture()
              // dnsjava enforces the timeout; this bounds a reply that never completes at all
              .orTimeout(timeout.toMillis() * 2 + 100, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete(
        (message, failure) -> {
          if (failure == null && message != null && usable(message)) {
            recorder.forwarded(
                index == 0
                    ? ForwardingRecorder.Outcome.ANSWERED
                    : ForwardingRecorder.Outcome.ANSWERED_AFTER_FAILOVER);
            result.complete(message);
          } else {
            LOG.debug(
                "upstream {} gave no usable reply to {}: {}",
                upstreams.get(index),
                query.getQuestion().getName(),
                failure != null ? failure.toString() : Rcode.string(message.getRcode()));
            attempt(query, index + 1, result);
          }
        });
  }

  private static boolean usable(Message reply) {
    int rcode = reply.getRcode();
    return rcode != Rcode.SERVFAIL && rcode != Rcode.REFUSED && rcode != Rcode.NOTIMP;
  }
}
