package dev.cloudmapdns.dns.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.OPTRecord;

/** How large a reply may be on each transport, for each EDNS offer. */
class TransportTest {
  @ParameterizedTest(name = "{0} with EDNS payload {1} -> {2} bytes")
  @CsvSource({
    "UDP,       , 512",
    "UDP,      0, 512",
    "UDP,    100, 512",
    "UDP,    512, 512",
    "UDP,    800, 800",
    "UDP,   1232, 1232",
    "UDP,   4096, 1232",
    "UDP,  65535, 1232",
    "STREAM,    , 65535",
    "STREAM, 512, 65535",
  })
  void limitsTheReplySize(Transport transport, Integer ednsPayload, int expected) {
    OPTRecord opt = ednsPayload == null ? null : new OPTRecord(ednsPayload, 0, 0, 0);

    assertEquals(expected, transport.replyLimit(opt));
  }
}
