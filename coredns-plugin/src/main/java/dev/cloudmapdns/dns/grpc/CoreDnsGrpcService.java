package dev.cloudmapdns.dns.grpc;

import com.google.protobuf.ByteString;
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
 */
public final class CoreDnsGrpcService extends DnsServiceGrpc.DnsServiceImplBase {
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
    DnsReply reply = handler.handle(request.getMsg().toByteArray(), Transport.STREAM);
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
    response.onNext(DnsPacket.newBuilder().setMsg(ByteString.copyFrom(answered.wire())).build());
    response.onCompleted();
  }
}
