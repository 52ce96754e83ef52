package dev.cloudmapdns.dns.grpc;

import dev.cloudmapdns.dns.engine.DnsAnswerEngine;
import dev.cloudmapdns.dns.zone.DnsZone;
import dev.cloudmapdns.dns.zone.DnsZoneSource;
import dev.cloudmapdns.proto.v1.DnsDebugGrpc;
import dev.cloudmapdns.proto.v1.ListZonesRequest;
import dev.cloudmapdns.proto.v1.ListZonesResponse;
import dev.cloudmapdns.proto.v1.ResolveRequest;
import dev.cloudmapdns.proto.v1.ResolveResponse;
import dev.cloudmapdns.proto.v1.ResourceRecord;
import dev.cloudmapdns.proto.v1.Zone;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@code cloudmapdns.v1.DnsDebug}: the answers of the DNS engine as readable fields, for people
 * with grpcurl. It asks the very engine CoreDNS reaches, so what it shows is what CoreDNS gets.
 */
public final class DnsDebugGrpcService extends DnsDebugGrpc.DnsDebugImplBase {
  private final DnsAnswerEngine engine;
  private final DnsZoneSource zones;

  public DnsDebugGrpcService(DnsAnswerEngine engine, DnsZoneSource zones) {
    this.engine = engine;
    this.zones = zones;
  }

  @Override
  public void resolve(ResolveRequest request, StreamObserver<ResolveResponse> response) {
    Name name;
    try {
      name = Name.fromString(request.getName(), Name.root);
    } catch (TextParseException e) {
      response.onError(
          Status.INVALID_ARGUMENT
              .withDescription("name: not a valid domain name: " + e.getMessage())
              .asRuntimeException());
      return;
    }
    String typeText = request.getType().isBlank() ? "A" : request.getType().trim();
    int type = Type.value(typeText);
    if (type < 0) {
      response.onError(
          Status.INVALID_ARGUMENT
              .withDescription("type: unknown record type: " + typeText)
              .asRuntimeException());
      return;
    }
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    Message reply = engine.answer(query);
    ResolveResponse.Builder out =
        ResolveResponse.newBuilder()
            .setRcode(Rcode.string(reply.getRcode()))
            .setAuthoritative(reply.getHeader().getFlag(Flags.AA));
    for (Record record : reply.getSection(Section.ANSWER)) {
      out.addAnswer(readable(record));
    }
    for (Record record : reply.getSection(Section.AUTHORITY)) {
      out.addAuthority(readable(record));
    }
    for (Record record : reply.getSection(Section.ADDITIONAL)) {
      if (record.getType() != Type.OPT) {
        out.addAdditional(readable(record));
      }
    }
    response.onNext(out.build());
    response.onCompleted();
  }

  @Override
  public void listZones(ListZonesRequest request, StreamObserver<ListZonesResponse> response) {
    ListZonesResponse.Builder out = ListZonesResponse.newBuilder();
    for (DnsZone zone : zones.zones().sortedZones()) {
      out.addZones(
          Zone.newBuilder().setName(zone.apex().toString()).setNameCount(zone.nodes().size()));
    }
    response.onNext(out.build());
    response.onCompleted();
  }

  private static ResourceRecord readable(Record record) {
    return ResourceRecord.newBuilder()
        .setName(record.getName().toString())
        .setType(Type.string(record.getType()))
        .setTtl((int) record.getTTL())
        .setValue(record.rdataToString())
        .build();
  }
}
