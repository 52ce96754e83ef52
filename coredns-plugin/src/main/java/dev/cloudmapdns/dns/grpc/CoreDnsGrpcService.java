package dev.cloudmapdns.dns.grpc;

import com.google.protobuf.UnsafeByteOperations;
import dev.cloudmapdns.dns.engine.DnsQueryRecorder;
import dev.cloudmapdns.dns.engine.DnsReply;
import dev.cloudmapdns.dns.engine.DnsWireHandler;
import dev.cloudmapdns.dns.engine.Transport;
import dev.cloudmapdns.proto.coredns.DnsPacket;
import dev.cloudmapdns.proto.coredns.DnsServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * {@code coredns.dns.DnsService/Query}, the one call CoreDNS's grpc plugin makes. Every readable
 * query gets a DNS reply (an rcode, never a gRPC error, so CoreDNS does not fail over to SERVFAIL);
 * only a packet without a readable header is refused with INVALID_ARGUMENT.
 *
 * <p>The query is read from the request's own bytes and the reply's array becomes the response
 * without a copy: the engine never blocks, so the server runs this call on its transport thread
 * ({@link #QUERY_METHOD} is what a server's call-executor choice looks for).
 */
public final class CoreDnsGrpcService extends DnsServiceGrpc.DnsServiceImplBase {
  /** The full name of the method served here without an executor hand-off. */
  public static final String QUERY_METHOD = DnsServiceGrpc.getQueryMethod().getFullMethodName();

  private final DnsWireHandler handler;
  private final DnsQueryRecorder recorder;

  public CoreDnsGrpcService(DnsWireHandler handler) {
    this(handler, DnsQueryRecorder.NONE);
  }

  public CoreDnsGrpcService(DnsWireHandler handler, DnsQueryRecorder recorder) {
    this.handler = handler;
    this.recorder = recorder;
  }

  @Override
  public void query(DnsPacket request, StreamObserver<DnsPacket> response) {
    long started = System.nanoTime();
    DnsReply reply = handler.handle(request.getMsg().asReadOnlyByteBuffer(), Transport.STREAM);
    if (reply instanceof DnsReply.Answered answered) {
      send(answered, response, started);
    } else if (reply instanceof DnsReply.Forwarded forwarded) {
      forwarded.reply().thenAccept(answered -> send(answered, response, started));
    } else if (reply instanceof DnsReply.Unreadable unreadable) {
      response.onError(
          Status.INVALID_ARGUMENT.withDescription(unreadable.reason()).asRuntimeException());
    }
  }

  private void send(DnsReply.Answered answered, StreamObserver<DnsPacket> response, long started) {
    recorder.answered(DnsQueryRecorder.Channel.GRPC, answered.rcode(), System.nanoTime() - started);
    // The wire array is ours alone and never changed after this point.
    response.onNext(
        DnsPacket.newBuilder().setMsg(UnsafeByteOperations.unsafeWrap(answered.wire())).build());
    response.onCompleted();
  }
}
