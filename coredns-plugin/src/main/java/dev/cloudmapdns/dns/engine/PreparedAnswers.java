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
 * of every transport for the common query (one question, class IN, with or without an EDNS(0) OPT
 * record carrying no options but cookies and padding, which the engine ignores). Anything else, and
 * any answer larger than the query's size limit (truncation), takes the engine's dynamic path; so
 * does a record set other than addresses (SRV, CNAME) whose random choice has more than {@link
 * #MAX_VARIANTS} possible outcomes.
 *
 * <p>Random choice stays random and stays the engine's: the query draws the same random numbers the
 * engine would ({@link RecordChoice#positions}: {@code nextInt(n)}, {@code nextInt(n - 1)}, ...).
 * For an address record set (A, AAAA: any size, 8 of 1,000 included) the draws pick which of the
 * records' ready fragments go into the reply, in which order; for other sets they index one of the
 * set's outcomes, each rendered by the engine with exactly those draws. Given the same randomness,
 * a prepared answer is byte for byte the engine's.
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
  /** Non-address record sets with more random outcomes than this are answered dynamically. */
  static final int MAX_VARIANTS = 120;

  /** Answers kept per zone version for names without records (bounded: any name may be asked). */
  static final int MAX_PER_ZONE = 1024;

  /**
   * Names whose zone and node are remembered per zone set (a direct-mapped table: two names sharing
   * a slot take turns).
   */
  static final int NAME_SLOTS = 1024;

  /** Zones whose negative answers are kept at once; two zones sharing a slot take turns. */
  private static final int ZONE_SLOTS = 64;

  private static final int RD = 0x01;
  private static final int CD = 0x10;
  private static final int OPT_RR_LENGTH = 11;
  private static final int COOKIE = 10;
  private static final int PADDING = 12;

  private final DnsAnswerEngine engine;
  private final AtomicReferenceArray<ZoneAnswers> zoneSlots =
      new AtomicReferenceArray<>(ZONE_SLOTS);

  /** Where recently asked names lead in the current zone set; replaced when the set is. */
  private volatile Names names = new Names(DnsZoneSet.empty());

  PreparedAnswers(DnsAnswerEngine engine) {
    this.engine = engine;
  }

  /**
   * The reply to the query between the buffer's position and limit, or null when the engine must
   * answer it. The buffer is only read, and its position does not move.
   */
  byte[] answer(ByteBuffer wire, Transport transport) {
    DnsZoneSet zoneSet = engine.zoneSet();
    Query query = Query.read(wire, namesOf(zoneSet));
    if (query == null || query.at().zone() == null) {
      return null;
    }
    DnsZone zone = query.at().zone();
    int limit = transport.replyLimit(query.edns(), query.payload());
    boolean atApex = query.at().atApex();
    DnsNode node = query.at().node();
    RecordChoice choice = answering(node, query.type());
    if (atApex && (query.type() == Type.SOA || query.type() == Type.NS)) {
      return choice == null ? copied(fixed(zoneSet, zone, query), limit, query) : null;
    }
    if (choice == null) {
      return copied(fixed(zoneSet, zone, query), limit, query);
    }
    Entry entry = entryFor(zoneSet, node, choice, query);
    if (entry instanceof Fragments fragments) {
      return fragments.assembled(choice.positions(engine.random()), limit, query);
    }
    if (entry instanceof Outcomes outcomes) {
      return copied(outcomes.drawn(this, zoneSet, choice, query), limit, query);
    }
    return null;
  }

  /** The names table of {@code zoneSet}: a new, empty one when the set has changed. */
  private Names namesOf(DnsZoneSet zoneSet) {
    Names current = names;
    if (current.zoneSet != zoneSet) {
      current = new Names(zoneSet);
      names = current;
    }
    return current;
  }

  /** A patched copy of {@code ready}, or null when there is none or it is over the limit. */
  private static byte[] copied(byte[] ready, int limit, Query query) {
    if (ready == null || ready.length > limit) {
      return null;
    }
    byte[] reply = ready.clone();
    patch(reply, query);
    return reply;
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

  /**
   * What is kept on {@code node} for the query's type and EDNS, made on first use: the records'
   * fragments when any subset in any order can be assembled from them (address records, whose owner
   * is always the question's name and whose data holds no name), else every outcome of the choice
   * when there are few enough; null when the engine answers each query.
   */
  private Entry entryFor(DnsZoneSet zoneSet, DnsNode node, RecordChoice choice, Query query) {
    int key = query.type() << 1 | (query.edns() ? 1 : 0);
    NodeAnswers kept = node.prepared() instanceof NodeAnswers answers ? answers : null;
    Entry entry = kept == null ? null : kept.find(key, query.lowerName());
    if (entry != null) {
      return entry;
    }
    int n = choice.candidates().size();
    if (n > 1 && Fragments.fit(choice)) {
      entry =
          Fragments.of(
              key,
              query,
              choice,
              render(zoneSet, query, new Draws(new int[Math.min(choice.limit(), n)])));
    } else {
      entry = Outcomes.of(key, query, choice);
    }
    node.keepPrepared(kept == null ? new NodeAnswers(new Entry[] {entry}) : kept.with(entry));
    return entry;
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

  /** Puts the query's ID, RD and CD flags and name spelling into {@code reply}. */
  private static void patch(byte[] reply, Query query) {
    byte[] packet = query.packet();
    reply[0] = packet[0];
    reply[1] = packet[1];
    reply[2] |= (byte) (packet[2] & RD);
    reply[3] |= (byte) (packet[3] & CD);
    System.arraycopy(packet, Header.LENGTH, reply, Header.LENGTH, query.lowerName().length);
  }

  /**
   * The parts of a query that decide its answer, read from a copy of the packet; null for any
   * packet outside the fast path's shape.
   *
   * @param packet the query's bytes
   * @param at the question's name in lower case and where it leads in the zone set
   * @param payload the UDP payload the client offers with EDNS
   */
  private record Query(byte[] packet, Resolved at, int type, boolean edns, int payload) {
    /** Longer queries (padded to more than this) take the dynamic path. */
    private static final int MAX_LENGTH = DnsAnswerEngine.MAX_UDP_PAYLOAD;

    /** The question's name in lower case. */
    Name name() {
      return at.name();
    }

    /** The same name in wire format. */
    byte[] lowerName() {
      return at.lowerName();
    }

    static Query read(ByteBuffer wire, Names names) {
      int length = wire.remaining();
      if (length < Header.LENGTH + 5 || length > MAX_LENGTH) {
        return null;
      }
      byte[] packet = new byte[length];
      wire.get(wire.position(), packet);
      boolean opcodeQuery = (u16(packet, 2) & 0xF800) == 0; // QR clear, opcode QUERY
      int additional = u16(packet, 10);
      if (!opcodeQuery
          || u16(packet, 4) != 1
          || u16(packet, 6) != 0
          || u16(packet, 8) != 0
          || additional > 1) {
        return null;
      }
      int at = Header.LENGTH;
      while (true) {
        if (at >= length) {
          return null;
        }
        int label = packet[at] & 0xFF;
        at++;
        if (label == 0) {
          break;
        }
        if (label > 63) {
          return null; // compression pointers and extended label types: the parser decides
        }
        at += label;
      }
      int nameLength = at - Header.LENGTH;
      if (nameLength > 255 || at + 4 > length) {
        return null;
      }
      int type = u16(packet, at);
      int dclass = u16(packet, at + 2);
      at += 4;
      if (dclass != DClass.IN || type == Type.ANY || DnsAnswerEngine.isTransferOrMeta(type)) {
        return null;
      }
      boolean edns = additional == 1;
      int payload = 0;
      if (edns) {
        boolean plainOpt =
            at + OPT_RR_LENGTH <= length
                && packet[at] == 0
                && u16(packet, at + 1) == Type.OPT
                && packet[at + 6] == 0 // EDNS version 0; others get BADVERS
                && at + OPT_RR_LENGTH + u16(packet, at + 9) == length
                && ignoredOptions(packet, at + OPT_RR_LENGTH, length);
        if (!plainOpt) {
          return null;
        }
        payload = u16(packet, at + 3);
        at = length;
      }
      if (at != length) {
        return null;
      }
      byte[] lower = new byte[nameLength];
      int hash = 0;
      for (int i = 0; i < nameLength; i++) {
        byte b = packet[Header.LENGTH + i];
        // Label lengths are at most 63, below 'A', so only letters change.
        lower[i] = b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
        hash = 31 * hash + lower[i];
      }
      Resolved resolved = names.resolve(lower, hash);
      return resolved == null ? null : new Query(packet, resolved, type, edns, payload);
    }

    /**
     * Whether the OPT record's options are only ones the engine reads and ignores: well-formed
     * cookies (RFC 7873: an 8-byte client cookie, with or without an 8 to 32-byte server cookie;
     * resolvers such as dig and BIND send one with every query) and padding (RFC 7830). Any other
     * option, or one the parser would refuse, takes the dynamic path.
     */
    private static boolean ignoredOptions(byte[] packet, int at, int end) {
      while (at < end) {
        if (at + 4 > end) {
          return false;
        }
        int code = u16(packet, at);
        int optionLength = u16(packet, at + 2);
        at += 4 + optionLength;
        boolean ignored =
            switch (code) {
              case COOKIE -> optionLength == 8 || (optionLength >= 16 && optionLength <= 40);
              case PADDING -> true;
              default -> false;
            };
        if (!ignored || at > end) {
          return false;
        }
      }
      return true;
    }

    private static int u16(byte[] packet, int at) {
      return (packet[at] & 0xFF) << 8 | packet[at + 1] & 0xFF;
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
  private record NodeAnswers(Entry[] entries) implements DnsNode.Prepared {
    Entry find(int key, byte[] name) {
      for (Entry entry : entries) {
        if (entry.key() == key && Arrays.equals(entry.name(), name)) {
          return entry;
        }
      }
      return null;
    }

    NodeAnswers with(Entry entry) {
      Entry[] next = Arrays.copyOf(entries, entries.length + 1);
      next[entries.length] = entry;
      return new NodeAnswers(next);
    }
  }

  /** What a node keeps for one question type and EDNS presence. */
  private sealed interface Entry permits Outcomes, Fragments, Unprepared {
    int key();

    byte[] name();
  }

  /** The engine answers every such query: its rendering could not be taken apart. */
  private record Unprepared(int key, byte[] name) implements Entry {}

  /** Every outcome of one record set's random choice, each rendered on first use. */
  private record Outcomes(
      int key, byte[] name, int n, int draws, AtomicReferenceArray<byte[]> rendered)
      implements Entry {
    /** The outcomes of {@code choice}; {@link Unprepared} beyond {@link #MAX_VARIANTS}. */
    static Entry of(int key, Query query, RecordChoice choice) {
      int n = choice.candidates().size();
      int draws = n <= 1 ? 0 : Math.min(choice.limit(), n);
      int outcomes = 1;
      for (int i = 0; i < draws; i++) {
        outcomes *= n - i;
        if (outcomes > MAX_VARIANTS) {
          return new Unprepared(key, query.lowerName());
        }
      }
      return new Outcomes(key, query.lowerName(), n, draws, new AtomicReferenceArray<>(outcomes));
    }

    /** The outcome the engine's random numbers pick, rendered now if it never was. */
    byte[] drawn(PreparedAnswers answers, DnsZoneSet zoneSet, RecordChoice choice, Query query) {
      RandomGenerator random = answers.engine.random();
      int outcome = 0;
      for (int i = 0; i < draws; i++) {
        outcome = outcome * (n - i) + random.nextInt(n - i);
      }
      byte[] ready = rendered.get(outcome);
      if (ready == null) {
        ready = answers.render(zoneSet, query, new Draws(drawsOf(outcome, n, draws)));
        if (ready != null) {
          rendered.set(outcome, ready);
        }
      }
      return ready;
    }
  }

  /**
   * An address record set taken apart: the reply up to the answers, each record as it appears in
   * the answer section (owner compressed to the question's name, which is why order and subset do
   * not change a record's bytes), and what follows the answers (the OPT record).
   */
  private record Fragments(
      int key, byte[] name, byte[] prefix, byte[][] records, byte[] suffix, int length)
      implements Entry {
    /** Whether every candidate is an address record with nothing in the additional section. */
    static boolean fit(RecordChoice choice) {
      for (var candidate : choice.candidates()) {
        int type = candidate.record().getType();
        if ((type != Type.A && type != Type.AAAA) || !candidate.additional().isEmpty()) {
          return false;
        }
      }
      return true;
    }

    /**
     * The fragments of {@code choice}, checked against {@code rendered}, the engine's answer with
     * its first {@code k} candidates in order; {@link Unprepared} when they do not add up to it.
     */
    static Entry of(int key, Query query, RecordChoice choice, byte[] rendered) {
      byte[] name = query.lowerName();
      Entry unprepared = new Unprepared(key, name);
      if (rendered == null) {
        return unprepared;
      }
      int n = choice.candidates().size();
      byte[][] records = new byte[n][];
      for (int i = 0; i < n; i++) {
        records[i] = fragment(choice.candidates().get(i).record());
        if (records[i].length != records[0].length) {
          return unprepared;
        }
      }
      int k = Math.min(choice.limit(), n);
      int prefixLength = Header.LENGTH + name.length + 4;
      int at = prefixLength;
      for (int i = 0; i < k; i++) {
        int end = at + records[i].length;
        if (end > rendered.length
            || !Arrays.equals(rendered, at, end, records[i], 0, records[i].length)) {
          return unprepared;
        }
        at = end;
      }
      return new Fragments(
          key,
          name,
          Arrays.copyOfRange(rendered, 0, prefixLength),
          records,
          Arrays.copyOfRange(rendered, at, rendered.length),
          rendered.length);
    }

    /** A record as the answer section carries it: owner pointing at the question's name. */
    private static byte[] fragment(Record record) {
      byte[] data = record.rdataToWireCanonical();
      ByteBuffer fragment = ByteBuffer.allocate(12 + data.length);
      fragment.putShort((short) (0xC000 | Header.LENGTH));
      fragment.putShort((short) record.getType());
      fragment.putShort((short) record.getDClass());
      fragment.putInt((int) record.getTTL());
      fragment.putShort((short) data.length);
      fragment.put(data);
      return fragment.array();
    }

    /** The reply with the records at {@code positions}, in that order; null over the limit. */
    byte[] assembled(int[] positions, int limit, Query query) {
      if (length > limit) {
        return null;
      }
      byte[] reply = new byte[length];
      System.arraycopy(prefix, 0, reply, 0, prefix.length);
      int at = prefix.length;
      for (int position : positions) {
        byte[] record = records[position];
        System.arraycopy(record, 0, reply, at, record.length);
        at += record.length;
      }
      System.arraycopy(suffix, 0, reply, at, suffix.length);
      patch(reply, query);
      return reply;
    }
  }

  private record FixedKey(Name name, int typeAndEdns) {}

  /**
   * A question's name in lower case (as a {@link Name} and in wire format) and what it leads to in
   * one zone set: the zone holding it (null: none, the engine answers) and its node there (null: no
   * such name).
   */
  private record Resolved(
      byte[] lowerName, Name name, DnsZone zone, DnsNode node, boolean atApex) {}

  /**
   * Where recently asked names lead in one zone set, so that a name asked again is neither parsed
   * into a {@link Name} nor looked up again: the zone set is immutable, so what a name found in it
   * stays true for as long as it is the current one. The event loops share the table without locks:
   * an entry is an immutable record, and a lost race only means a name is resolved twice.
   */
  private static final class Names {
    private final DnsZoneSet zoneSet;
    private final Resolved[] slots = new Resolved[NAME_SLOTS];

    Names(DnsZoneSet zoneSet) {
      this.zoneSet = zoneSet;
    }

    /** Where {@code lowerName} leads; null when it is not a valid name. */
    Resolved resolve(byte[] lowerName, int hash) {
      int slot = (hash ^ hash >>> 16) & (NAME_SLOTS - 1);
      Resolved kept = slots[slot];
      if (kept != null && Arrays.equals(kept.lowerName(), lowerName)) {
        return kept;
      }
      Name name;
      try {
        name = new Name(lowerName);
      } catch (IOException e) {
        return null;
      }
      Optional<DnsZone> zone = zoneSet.findZone(name);
      Resolved fresh =
          new Resolved(
              lowerName,
              name,
              zone.orElse(null),
              zone.map(found -> found.nodes().get(name)).orElse(null),
              zone.isPresent() && name.equals(zone.get().apex()));
      slots[slot] = fresh;
      return fresh;
    }
  }

  /** The answers without random choice of one zone version. */
  private static final class ZoneAnswers {
    final DnsZone zone;
    final ConcurrentHashMap<FixedKey, byte[]> rendered = new ConcurrentHashMap<>();

    ZoneAnswers(DnsZone zone) {
      this.zone = zone;
    }
  }
}
