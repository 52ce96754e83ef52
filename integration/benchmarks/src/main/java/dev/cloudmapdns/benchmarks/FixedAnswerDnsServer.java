package dev.cloudmapdns.benchmarks;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.cloudmapdns.proto.coredns.DnsPacket;
import dev.cloudmapdns.proto.coredns.DnsServiceGrpc;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The smallest {@code coredns.dns.DnsService} there is: it answers every query with one fixed
 * packet (one A record for {@link #NAME}), copying only the query's ID into it, and does nothing
 * else. What CoreDNS's grpc plugin, or our load driver, can carry through one channel when the
 * backend costs nothing: the ceiling our Query is measured against. Runs in its own process.
 *
 * <p>{@code java -cp benchmarks.jar dev.cloudmapdns.benchmarks.FixedAnswerDnsServer PORT}
 */
public final class FixedAnswerDnsServer extends DnsServiceGrpc.DnsServiceImplBase {
  static final String NAME = "web." + BenchZone.APEX + ".";

  private final byte[] answer;

  private FixedAnswerDnsServer() throws Exception {
    Name name = Name.fromString(NAME);
    Message reply = new Message(0);
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setFlag(Flags.AA);
    reply.addRecord(Record.newRecord(name, Type.A, DClass.IN), Section.QUESTION);
    reply.addRecord(new ARecord(name, DClass.IN, 60, new byte[] {10, 0, 0, 1}), Section.ANSWER);
    answer = reply.toWire();
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .directExecutor()
            .addService(new FixedAnswerDnsServer())
            .build()
            .start();
    System.out.println("fixed-answer DnsService on 127.0.0.1:" + port);
    server.awaitTermination();
  }

  @Override
  public void query(DnsPacket request, StreamObserver<DnsPacket> response) {
    byte[] reply = answer.clone();
    ByteString query = request.getMsg();
    if (query.size() >= 2) {
      reply[0] = query.byteAt(0);
      reply[1] = query.byteAt(1);
    }
    response.onNext(DnsPacket.newBuilder().setMsg(UnsafeByteOperations.unsafeWrap(reply)).build());
    response.onCompleted();
  }
}
