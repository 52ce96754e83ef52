package dev.cloudmapdns.dns.engine;

import dev.cloudmapdns.dns.zone.Candidate;
import dev.cloudmapdns.dns.zone.DnsNode;
import dev.cloudmapdns.dns.zone.DnsZone;
import dev.cloudmapdns.dns.zone.DnsZoneSet;
import dev.cloudmapdns.dns.zone.DnsZoneSource;
import dev.cloudmapdns.dns.zone.Names;
import dev.cloudmapdns.dns.zone.RecordChoice;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers one parsed DNS query from the current zones. The single place where DNS semantics live;
 * every transport (gRPC for CoreDNS, UDP, TCP, the debug API) goes through it. It reads one
 * immutable zone set per query and never blocks.
 */
public final class DnsAnswerEngine {
  /** The UDP payload size we advertise and honour at most: the DNS Flag Day 2020 value. */
  public static final int MAX_UDP_PAYLOAD = 1232;

  private final DnsZoneSource zones;
  private final Supplier<RandomGenerator> random;

  public DnsAnswerEngine(DnsZoneSource zones) {
    this(zones, java.util.concurrent.ThreadLocalRandom::current);
  }

  /** With a chosen randomness source, so tests can make selection repeatable. */
  public DnsAnswerEngine(DnsZoneSource zones, Supplier<RandomGenerator> random) {
    this.zones = zones;
    this.random = random;
  }

  /** The reply to {@code query}; it always echoes the query's ID and question. */
  public Message answer(Message query) {
    return answer(query, zones.zones(), random.get());
  }

  /** The zones queries are answered from now. */
  DnsZoneSet zoneSet() {
    return zones.zones();
  }

  /** The randomness of this query's record choice. */
  RandomGenerator random() {
    return random.get();
  }

  /**
   * The reply to {@code query} from {@code zoneSet}, choosing records with {@code rng}: the one
   * definition of every answer, which {@link PreparedAnswers} also renders its answers with.
   */
  Message answer(Message query, DnsZoneSet zoneSet, RandomGenerator rng) {
    Header queryHeader = query.getHeader();
    Message reply = replyTo(queryHeader);
    List<Record> questions = query.getSection(Section.QUESTION);
    if (questions.size() == 1) {
      reply.addRecord(questions.get(0), Section.QUESTION);
    }
    OPTRecord queryOpt = query.getOPT();
    if (queryOpt != null) {
      reply.addRecord(new OPTRecord(MAX_UDP_PAYLOAD, 0, 0, 0), Section.ADDITIONAL);
      if (queryOpt.getVersion() > 0) {
        return withRcode(reply, Rcode.BADVERS);
      }
    }
    if (queryHeader.getOpcode() != Opcode.QUERY) {
      return withRcode(reply, Rcode.NOTIMP);
    }
    if (questions.size() != 1) {
      return withRcode(reply, Rcode.FORMERR);
    }
    Record question = questions.get(0);
    int qclass = question.getDClass();
    int qtype = question.getType();
    if ((qclass != DClass.IN && qclass != DClass.ANY) || isTransferOrMeta(qtype)) {
      // Zone transfers, other classes (CH "version.bind") and meta types are not ours to serve.
      return withRcode(reply, Rcode.REFUSED);
    }
    Optional<DnsZone> zone = zoneSet.findZone(question.getName());
    if (zone.isEmpty()) {
      return withRcode(reply, Rcode.REFUSED);
    }
    reply.getHeader().setFlag(Flags.AA);
    answerFromZone(reply, zone.get(), question.getName(), qtype, rng);
    return reply;
  }

  /**
   * Whether {@code reply} (from {@link #answer}) refused {@code query} only because its name is
   * outside every zone: a standard IN query for an ordinary type, which an upstream may answer.
   */
  static boolean refusedOutsideEveryZone(Message query, Message reply) {
    if (reply.getRcode() != Rcode.REFUSED || query.getHeader().getOpcode() != Opcode.QUERY) {
      return false;
    }
    Record question = query.getQuestion();
    return question != null
        && query.getSection(Section.QUESTION).size() == 1
        && question.getDClass() == DClass.IN
        && !isTransferOrMeta(question.getType());
  }

  static boolean isTransferOrMeta(int qtype) {
    return switch (qtype) {
      case Type.AXFR, Type.IXFR, Type.MAILA, Type.MAILB, Type.OPT, Type.TSIG, Type.TKEY -> true;
      default -> false;
    };
  }

  /** An empty reply with the query's ID, opcode, and RD and CD flags (RFC 1035, RFC 4035). */
  static Message replyTo(Header queryHeader) {
    Message reply = new Message(queryHeader.getID());
    Header header = reply.getHeader();
    header.setFlag(Flags.QR);
    header.setOpcode(queryHeader.getOpcode());
    if (queryHeader.getFlag(Flags.RD)) {
      header.setFlag(Flags.RD);
    }
    if (queryHeader.getFlag(Flags.CD)) {
      header.setFlag(Flags.CD);
    }
    return reply;
  }

  static Message withRcode(Message reply, int rcode) {
    if (rcode > 0xF) {
      // Extended rcodes (BADVERS) live partly in the OPT record.
      OPTRecord opt = reply.getOPT();
      if (opt != null) {
        reply.removeRecord(opt, Section.ADDITIONAL);
        reply.addRecord(
            new OPTRecord(opt.getPayloadSize(), rcode >>> 4, 0, opt.getFlags()),
            Section.ADDITIONAL);
      }
    }
    reply.getHeader().setRcode(rcode & 0xF);
    return reply;
  }

  private static void answerFromZone(
      Message reply, DnsZone zone, Name qname, int qtype, RandomGenerator rng) {
    Name name = Names.lowerCase(qname);
    DnsNode node = zone.nodes().get(name);
    boolean atApex = name.equals(zone.apex());
    int answered = 0;

    if (atApex && (qtype == Type.SOA || qtype == Type.ANY)) {
      reply.addRecord(zone.soa().withName(qname), Section.ANSWER);
      answered++;
    }
    if (atApex && (qtype == Type.NS || qtype == Type.ANY)) {
      reply.addRecord(zone.ns().withName(qname), Section.ANSWER);
      answered++;
    }
    if (node != null) {
      if (qtype == Type.ANY) {
        for (RecordChoice choice : node.byType().values()) {
          answered += addChosen(reply, choice, qname, rng);
        }
      } else {
        answered += addChosen(reply, node.choiceFor(qtype), qname, rng);
        if (answered == 0 && qtype != Type.CNAME) {
          // A CNAME owner answers every type with its CNAME; the resolver follows it.
          answered += addChosen(reply, node.choiceFor(Type.CNAME), qname, rng);
        }
      }
    }
    if (answered > 0) {
      return;
    }
    boolean exists = atApex || node != null || zone.emptyNonTerminals().contains(name);
    if (!exists) {
      reply.getHeader().setRcode(Rcode.NXDOMAIN);
    }
    addNegativeSoa(reply, zone);
  }

  private static int addChosen(
      Message reply, RecordChoice choice, Name qname, RandomGenerator rng) {
    if (choice == null || choice.isEmpty()) {
      return 0;
    }
    List<Candidate> chosen = choice.choose(rng);
    for (Candidate candidate : chosen) {
      reply.addRecord(candidate.record().withName(qname), Section.ANSWER);
      for (Record extra : candidate.additional()) {
        reply.addRecord(extra, Section.ADDITIONAL);
      }
    }
    return chosen.size();
  }

  /** RFC 2308: the SOA in the authority section, with the negative-caching TTL. */
  private static void addNegativeSoa(Message reply, DnsZone zone) {
    reply.addRecord(zone.negativeSoa(), Section.AUTHORITY);
  }
}
