package dev.cloudmapdns.dns.engine;

import dev.cloudmapdns.dns.zone.DnsNode;
import dev.cloudmapdns.dns.zone.DnsZone;
import dev.cloudmapdns.dns.zone.DnsZoneSet;
import dev.cloudmapdns.dns.zone.RecordChoice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.random.RandomGenerator;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers in wire format, rendered once by {@link DnsAnswerEngine} and then copied per query with
 * only the query's ID, its RD and CD flags and the spelling of its name patched in: the fast path
 * of every transport for the common query (one question, class IN, with or without a plain EDNS(0)
 * OPT record). Anything else, and any answer larger than the query's size limit (truncation), takes
 * the engine's dynamic path; so does a record set whose random choice has more than {@link
 * #MAX_VARIANTS} possible outcomes (8 of 1,000 instances).
 *
 * <p>Random choice stays random and stays the engine's: the query draws the same random numbers the
 * engine would ({@link RecordChoice#choose}: {@code nextInt(n)}, {@code nextInt(n - 1)}, ...), and
 * the draws index one of the set's prepared outcomes, each rendered by the engine with exactly
 * those draws. Given the same randomness, a prepared answer is byte for byte the engine's.
 *
 * <p>Where the answers live decides when they are forgotten. An answer with records is kept on the
 * {@link DnsNode} it came from, so a change to one service drops only the answers of that service's
 * names. An answer without records (NXDOMAIN, NODATA) or at the apex carries the zone's SOA, whose
 * serial moves with every change, so it is kept per zone version, at most {@link #MAX_PER_ZONE} of
 * them.
 *
 * <p>A name is echoed in the case it was asked in: the engine compresses every later name against
 * the question's, case-insensitively, so only the question's bytes carry the spelling.
 */
final class PreparedAnswers {
  /** Record sets with more possible random outcomes than this are answered dynamically. */
  static final int MAX_VARIANTS = 120;

  /** Answers kept per zone version for names without records (bounded: any name may be asked). */
  static final int MAX_PER_ZONE = 4096;

  /** Zones whose negative answers are kept at once; two zones sharing a slot take turns. */
  private static final int ZONE_SLOTS = 64;

  private static final int RD = 0x01;
  private static final int CD = 0x10;
  private static final int OPT_RR_LENGTH = 11;

  private final DnsAnswerEngine engine;
  private final AtomicReferenceArray<ZoneAnswers> zoneSlots =
      new AtomicReferenceArray<>(ZONE_SLOTS);

  PreparedAnswers(DnsAnswerEngine engine) {
    this.engine = engine;
  }

  /**
   * The reply to the query between the buffer's position and limit, or null when the engine must
   * answer it. The buffer is only read, and its position does not move.
   */
  byte[] answer(ByteBuffer wire, Transport transport) {
    Query query = Query.read(wire);
    if (query == null) {
      return null;
    }
    DnsZoneSet zoneSet = engine.zoneSet();
    Optional<DnsZone> found = zoneSet.findZone(query.name());
    if (found.isEmpty()) {
      return null;
    }
    DnsZone zone = found.get();
    boolean atApex = query.name().equals(zone.apex());
    DnsNode node = zone.nodes().get(query.name());
    RecordChoice choice = answering(node, query.type());
    byte[] ready;
    if (atApex && (query.type() == Type.SOA || query.type() == Type.NS)) {
      ready = choice == null ? fixed(zoneSet, zone, query) : null;
    } else if (choice != null) {
      ready = chosen(zoneSet, node, choice, query);
    } else {
      ready = fixed(zoneSet, zone, query);
    }
    if (ready == null || ready.length > transport.replyLimit(query.edns(), query.payload())) {
      return null;
    }
    return patched(ready, wire, query);
  }

  /** The record set that answers {@code type} at {@code node}: its own, else its CNAME; or null. */
  private static RecordChoice answering(DnsNode node, int type) {
    if (node == null) {
      return null;
    }
    RecordChoice own = node.choiceFor(type);
    if (own != null && !own.isEmpty()) {
      return own;
    }
    RecordChoice cname = type == Type.CNAME ? null : node.choiceFor(Type.CNAME);
    return cname != null && !cname.isEmpty() ? cname : null;
  }

  /** An answer with records from {@code choice}: one of its prepared outcomes, drawn at random. */
  private byte[] chosen(DnsZoneSet zoneSet, DnsNode node, RecordChoice choice, Query query) {
    int n = choice.candidates().size();
    int draws = n <= 1 ? 0 : Math.min(choice.limit(), n);
    int outcomes = 1;
    for (int i = 0; i < draws; i++) {
      outcomes *= n - i;
      if (outcomes > MAX_VARIANTS) {
        return null;
      }
    }
    RandomGenerator random = engine.random();
    int outcome = 0;
    for (int i = 0; i < draws; i++) {
      outcome = outcome * (n - i) + random.nextInt(n - i);
    }
    int key = query.type() << 1 | (query.edns() ? 1 : 0);
    NodeAnswers kept = node.prepared() instanceof NodeAnswers answers ? answers : null;
    Outcomes forKey = kept == null ? null : kept.find(key, query.lowerName());
    if (forKey == null) {
      forKey = new Outcomes(key, query.lowerName(), outcomes);
      node.keepPrepared(
          kept == null ? new NodeAnswers(new Outcomes[] {forKey}) : kept.with(forKey));
    }
    byte[] ready = forKey.rendered.get(outcome);
    if (ready == null) {
      ready = render(zoneSet, query, new Draws(drawsOf(outcome, n, draws)));
      if (ready != null) {
        forKey.rendered.set(outcome, ready);
      }
    }
    return ready;
  }

  /** The draws {@code nextInt(n)}, {@code nextInt(n - 1)}, ... whose mixed-radix number is this. */
  private static int[] drawsOf(int outcome, int n, int draws) {
    int[] values = new int[draws];
    for (int i = draws - 1; i >= 0; i--) {
      values[i] = outcome % (n - i);
      outcome /= n - i;
    }
    return values;
  }

  /** An answer that involves no random choice, kept with the zone version it came from. */
  private byte[] fixed(DnsZoneSet zoneSet, DnsZone zone, Query query) {
    ZoneAnswers answers = answersOf(zone);
    FixedKey key = new FixedKey(query.name(), query.type() << 1 | (query.edns() ? 1 : 0));
    byte[] ready = answers.rendered.get(key);
    if (ready == null) {
      ready = render(zoneSet, query, new Draws(new int[0]));
      if (ready != null && answers.rendered.size() < MAX_PER_ZONE) {
        answers.rendered.putIfAbsent(key, ready);
      }
    }
    return ready;
  }

  private ZoneAnswers answersOf(DnsZone zone) {
    int slot = zone.apex().hashCode() & (ZONE_SLOTS - 1);
    ZoneAnswers answers = zoneSlots.get(slot);
    if (answers == null || answers.zone != zone) {
      answers = new ZoneAnswers(zone);
      zoneSlots.set(slot, answers);
    }
    return answers;
  }

  /**
   * The engine's reply, in wire format, to the query in lower case with ID 0, RD and CD clear and
   * the same EDNS; null when the rendering is not one this class can patch.
   */
  private byte[] render(DnsZoneSet zoneSet, Query query, Draws draws) {
    Message asked = new Message(0);
    asked.addRecord(Record.newRecord(query.name(), query.type(), DClass.IN), Section.QUESTION);
    if (query.edns()) {
      asked.addRecord(new OPTRecord(query.payload(), 0, 0, 0), Section.ADDITIONAL);
    }
    byte[] wire = engine.answer(asked, zoneSet, draws).toWire(Transport.STREAM_LIMIT);
    byte[] name = query.lowerName();
    boolean questionWhereExpected =
        wire.length >= Header.LENGTH + name.length
            && Arrays.equals(
                wire, Header.LENGTH, Header.LENGTH + name.length, name, 0, name.length);
    return questionWhereExpected && draws.allUsed() ? wire : null;
  }

  /** A copy of {@code ready} with the query's ID, RD and CD flags and name spelling. */
  private static byte[] patched(byte[] ready, ByteBuffer wire, Query query) {
    int start = wire.position();
    byte[] reply = ready.clone();
    reply[0] = wire.get(start);
    reply[1] = wire.get(start + 1);
    reply[2] |= (byte) (wire.get(start + 2) & RD);
    reply[3] |= (byte) (wire.get(start + 3) & CD);
    wire.get(start + Header.LENGTH, reply, Header.LENGTH, query.lowerName().length);
    return reply;
  }

  /**
   * The parts of a query that decide its answer, read straight from the packet; null for any packet
   * outside the fast path's shape.
   *
   * @param name the question's name in lower case
   * @param lowerName the same name in wire format
   * @param payload the UDP payload the client offers with EDNS
   */
  private record Query(Name name, byte[] lowerName, int type, boolean edns, int payload) {
    static Query read(ByteBuffer wire) {
      int start = wire.position();
      int end = wire.limit();
      if (end - start < Header.LENGTH + 5) {
        return null;
      }
      boolean queryOpcodeQuery = (u16(wire, start + 2) & 0xF800) == 0;
      int additional = u16(wire, start + 10);
      if (!queryOpcodeQuery
          || u16(wire, start + 4) != 1
          || u16(wire, start + 6) != 0
          || u16(wire, start + 8) != 0
          || additional > 1) {
        return null;
      }
      int nameStart = start + Header.LENGTH;
      int at = nameStart;
      while (true) {
        if (at >= end) {
          return null;
        }
        int label = wire.get(at) & 0xFF;
        at++;
        if (label == 0) {
          break;
        }
        if (label > 63) {
          return null; // compression pointers and extended label types: the parser decides
        }
        at += label;
      }
      int nameLength = at - nameStart;
      if (nameLength > 255 || at + 4 > end) {
        return null;
      }
      int type = u16(wire, at);
      int dclass = u16(wire, at + 2);
      at += 4;
      if (dclass != DClass.IN || type == Type.ANY || DnsAnswerEngine.isTransferOrMeta(type)) {
        return null;
      }
      boolean edns = additional == 1;
      int payload = 0;
      if (edns) {
        boolean plainOpt =
            at + OPT_RR_LENGTH == end
                && wire.get(at) == 0
                && u16(wire, at + 1) == Type.OPT
                && wire.get(at + 6) == 0 // EDNS version 0; others get BADVERS
                && u16(wire, at + 9) == 0; // no options
        if (!plainOpt) {
          return null;
        }
        payload = u16(wire, at + 3);
        at += OPT_RR_LENGTH;
      }
      if (at != end) {
        return null;
      }
      byte[] lower = new byte[nameLength];
      for (int i = 0; i < nameLength; i++) {
        byte b = wire.get(nameStart + i);
        // Label lengths are at most 63, below 'A', so only letters change.
        lower[i] = b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
      }
      try {
        return new Query(new Name(lower), lower, type, edns, payload);
      } catch (IOException e) {
        return null;
      }
    }

    private static int u16(ByteBuffer wire, int at) {
      return wire.getShort(at) & 0xFFFF;
    }
  }

  /** The random numbers of one outcome, replayed to the engine in the order it asks for them. */
  private static final class Draws implements RandomGenerator {
    private final int[] values;
    private int next;

    Draws(int[] values) {
      this.values = values;
    }

    @Override
    public int nextInt(int bound) {
      if (next >= values.length || values[next] >= bound) {
        throw new IllegalStateException("the engine drew differently than prepared");
      }
      return values[next++];
    }

    @Override
    public long nextLong() {
      throw new IllegalStateException("the engine drew differently than prepared");
    }

    boolean allUsed() {
      return next == values.length;
    }
  }

  /** The answers kept on one node, one entry per question type and EDNS presence. */
  private record NodeAnswers(Outcomes[] entries) implements DnsNode.Prepared {
    Outcomes find(int key, byte[] name) {
      for (Outcomes entry : entries) {
        if (entry.key == key && Arrays.equals(entry.name, name)) {
          return entry;
        }
      }
      return null;
    }

    NodeAnswers with(Outcomes entry) {
      Outcomes[] next = Arrays.copyOf(entries, entries.length + 1);
      next[entries.length] = entry;
      return new NodeAnswers(next);
    }
  }

  /** Every outcome of one record set's random choice, each rendered on first use. */
  private static final class Outcomes {
    final int key;
    final byte[] name;
    final AtomicReferenceArray<byte[]> rendered;

    Outcomes(int key, byte[] name, int outcomes) {
      this.key = key;
      this.name = name;
      this.rendered = new AtomicReferenceArray<>(outcomes);
    }
  }

  private record FixedKey(Name name, int typeAndEdns) {}

  /** The answers without random choice of one zone version. */
  private static final class ZoneAnswers {
    final DnsZone zone;
    final ConcurrentHashMap<FixedKey, byte[]> rendered = new ConcurrentHashMap<>();

    ZoneAnswers(DnsZone zone) {
      this.zone = zone;
    }
  }
}
