package dev.cloudmapdns.dns.engine;

import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/**
 * Where {@link DnsWireHandler} sends a query for a name outside every zone, instead of answering
 * REFUSED. The reply comes later, on some other thread; the transports send it when it does.
 */
public interface DnsForwarder {
  /**
   * The upstream's reply to {@code query}. Completes exceptionally when no upstream gave a usable
   * reply; always completes, within a bounded time.
   */
  CompletionStage<Message> forward(Message query);
}
