package dev.cloudmapdns.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The zone every serving benchmark asks, written once as a seed file for our server and once as a
 * zone file for a reference server, with the same names and records: {@code web} (A, 3 instances),
 * {@code _api._tcp} (SRV with A, 2 instances), {@code big} (A, 1,000 instances, of which an answer
 * carries 8). The query mix asks each, and an unknown name.
 */
final class BenchZone {
  static final String APEX = "bench.local";
  static final int BIG = 1_000;

  private BenchZone() {}

  static Path seed(Path directory) throws IOException {
    StringBuilder yaml = new StringBuilder();
    yaml.append("namespaces:\n  - name: ").append(APEX).append("\n    services:\n");
    yaml.append(
        "      - name: web\n        dnsRecords: [{type: A, ttl: 60}]\n        instances:\n");
    for (int i = 1; i <= 3; i++) {
      instance(yaml, "web-" + i, "10.0.0." + i, null);
    }
    yaml.append("      - name: _api._tcp\n");
    yaml.append("        dnsRecords: [{type: SRV, ttl: 60}, {type: A, ttl: 60}]\n");
    yaml.append("        instances:\n");
    for (int i = 1; i <= 2; i++) {
      instance(yaml, "api-" + i, "10.0.1." + i, "8080");
    }
    yaml.append(
        "      - name: big\n        dnsRecords: [{type: A, ttl: 60}]\n        instances:\n");
    for (int i = 0; i < BIG; i++) {
      instance(yaml, "big-" + i, "10.1." + i / 250 + "." + (i % 250 + 1), null);
    }
    return Files.writeString(directory.resolve("seed.yaml"), yaml);
  }

  private static void instance(StringBuilder yaml, String id, String ipv4, String port) {
    yaml.append("          - id: ")
        .append(id)
        .append("\n            attributes: {AWS_INSTANCE_IPV4: ");
    yaml.append(ipv4);
    if (port != null) {
      yaml.append(", AWS_INSTANCE_PORT: \"").append(port).append('"');
    }
    yaml.append("}\n");
  }

  /** The same zone in RFC 1035 master-file syntax, with our SOA and NS. */
  static Path zoneFile(Path directory) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("$ORIGIN " + APEX + ".");
    lines.add("$TTL 60");
    lines.add("@ 15 IN SOA ns.cloudmap-dns. hostmaster.cloudmap-dns. 1 7200 900 1209600 15");
    lines.add("@ 15 IN NS ns.cloudmap-dns.");
    for (int i = 1; i <= 3; i++) {
      lines.add("web IN A 10.0.0." + i);
    }
    for (int i = 1; i <= 2; i++) {
      lines.add("_api._tcp IN SRV 1 1 8080 api-" + i + "._api._tcp");
      lines.add("api-" + i + "._api._tcp IN A 10.0.1." + i);
    }
    for (int i = 0; i < BIG; i++) {
      lines.add("big IN A 10.1." + i / 250 + "." + (i % 250 + 1));
    }
    return Files.write(directory.resolve(APEX + ".zone"), lines);
  }

  /** dnsperf's input: one query per line, the mix the figures are for. */
  static Path queries(Path directory, boolean withBig) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      lines.add("web." + APEX + " A");
    }
    lines.add("_api._tcp." + APEX + " SRV");
    lines.add("_api._tcp." + APEX + " SRV");
    lines.add("missing." + APEX + " A");
    if (withBig) {
      lines.add("big." + APEX + " A");
    }
    return Files.write(directory.resolve(withBig ? "queries-big.txt" : "queries.txt"), lines);
  }
}
