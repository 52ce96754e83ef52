package dev.cloudmapdns.dns.zone;

import java.util.List;
import org.xbill.DNS.Record;

/**
 * One value that may be chosen for an answer, with the records that go into the additional section
 * when it is (the A/AAAA records of an SRV target).
 */
public record Candidate(Record record, List<Record> additional) {
  public Candidate {
    additional = List.copyOf(additional);
  }

  static Candidate of(Record record) {
    return new Candidate(record, List.of());
  }
}
