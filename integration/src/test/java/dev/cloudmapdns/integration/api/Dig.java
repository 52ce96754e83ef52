package dev.cloudmapdns.integration.api;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Asks the embedded DNS listener as a person would, with {@code dig +short}; where dig is not
 * installed, with dnsjava, saying so.
 */
final class Dig {
  private Dig() {}

  /** The answer's values, sorted, as {@code dig +short} prints them. */
  static List<String> answers(int port, String name, String type) throws Exception {
    String dig = AwsCli.onPath("dig");
    List<String> values = new ArrayList<>();
    if (dig != null) {
      Process process =
          new ProcessBuilder(dig, "@127.0.0.1", "-p", String.valueOf(port), name, type, "+short")
              .redirectErrorStream(true)
              .start();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("dig did not finish");
      }
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new AssertionError("dig failed: " + out);
      }
      out.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(values::add);
    } else {
      System.out.println("dig is not installed; asking with dnsjava instead");
      values.addAll(dnsjava(port, name, type));
    }
    values.sort(null);
    return values;
  }

  private static List<String> dnsjava(int port, String name, String type) throws IOException {
    SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
    resolver.setPort(port);
    Message reply =
        resolver.send(
            Message.newQuery(
                Record.newRecord(Name.fromString(name, Name.root), Type.value(type), DClass.IN)));
    return reply.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
  }
}
