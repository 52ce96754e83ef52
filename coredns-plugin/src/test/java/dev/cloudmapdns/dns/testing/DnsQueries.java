package dev.cloudmapdns.dns.testing;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/**
 * DNS queries as a stub resolver sends them: one question, RD set, a random ID, and EDNS only when
 * asked for.
 *
 * <pre>{@code
 * Message plain = DnsQueries.query("backend-api.app.local", Type.A);
 * Message edns = DnsQueries.query("backend-api.app.local", Type.SRV, 4096);
 * Message odd = DnsQueries.builder("version.bind", Type.TXT).dclass(DClass.CH).id(7).build();
 * }</pre>
 */
public final class DnsQueries {
  private DnsQueries() {}

  /** {@code name IN type}, without EDNS. */
  public static Message query(String name, int type) {
    return builder(name, type).build();
  }

  /** {@code name IN type} with an EDNS(0) OPT record offering {@code ednsPayload} bytes. */
  public static Message query(String name, int type, int ednsPayload) {
    return builder(name, type).edns(ednsPayload).build();
  }

  /** A query to refine (ID, class, opcode, EDNS) before {@link QueryBuilder#build()}. */
  public static QueryBuilder builder(String name, int type) {
    return new QueryBuilder(name(name), type);
  }

  /** The absolute name for {@code text}, keeping its case. */
  public static Name name(String text) {
    try {
      return Name.fromString(text, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a DNS name: " + text, e);
    }
  }

  /** Builds one query message. */
  public static final class QueryBuilder {
    private final Name name;
    private final int type;
    private int dclass = DClass.IN;
    private Integer id;
    private int opcode = Opcode.QUERY;
    private boolean recursionDesired = true;
    private OPTRecord opt;

    private QueryBuilder(Name name, int type) {
      this.name = name;
      this.type = type;
    }

    public QueryBuilder id(int id) {
      this.id = id;
      return this;
    }

    public QueryBuilder dclass(int dclass) {
      this.dclass = dclass;
      return this;
    }

    public QueryBuilder opcode(int opcode) {
      this.opcode = opcode;
      return this;
    }

    public QueryBuilder noRecursionDesired() {
      this.recursionDesired = false;
      return this;
    }

    /** An EDNS(0) OPT record offering {@code payloadSize} bytes over UDP. */
    public QueryBuilder edns(int payloadSize) {
      return edns(payloadSize, 0);
    }

    /** An OPT record of the given EDNS version (only 0 exists; others must get BADVERS). */
    public QueryBuilder edns(int payloadSize, int version) {
      this.opt = new OPTRecord(payloadSize, 0, version, 0);
      return this;
    }

    public Message build() {
      Message query = id == null ? new Message() : new Message(id);
      query.getHeader().setOpcode(opcode);
      if (recursionDesired) {
        query.getHeader().setFlag(Flags.RD);
      }
      query.addRecord(Record.newRecord(name, type, dclass), Section.QUESTION);
      if (opt != null) {
        query.addRecord(opt, Section.ADDITIONAL);
      }
      return query;
    }
  }
}
