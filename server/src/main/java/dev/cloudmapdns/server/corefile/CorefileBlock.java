package dev.cloudmapdns.server.corefile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A Corefile server block for CoreDNS's {@code grpc} plugin, for a set of DNS namespaces: one block
 * naming every namespace (which needs a reload of CoreDNS when a namespace is added), and, when
 * they share a parent domain, the block for that parent, which never needs changing. A pure value:
 * the edges decide where the namespaces and the upstream come from.
 *
 * @param namespaces the DNS namespaces' names, any case, with or without a final dot
 * @param upstream where CoreDNS reaches our gRPC port, {@code host:port}
 * @param tls whether our gRPC port wants TLS (the block then carries CoreDNS's {@code tls} line)
 */
public record CorefileBlock(List<String> namespaces, String upstream, boolean tls) {
  private static final Pattern UPSTREAM =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}");

  public CorefileBlock {
    if (!UPSTREAM.matcher(upstream).matches()) {
      throw new IllegalArgumentException("upstream must be host:port, not " + upstream);
    }
    TreeSet<String> names = new TreeSet<>();
    for (String name : namespaces) {
      String lower = name.toLowerCase(Locale.ROOT);
      names.add(lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower);
    }
    namespaces = List.copyOf(names);
  }

  /**
   * The parent domain every namespace lies under, when there is one below the root and the
   * namespaces are not just that domain itself: {@code app.local} and {@code shop.local} give
   * {@code local}.
   */
  public Optional<String> parentDomain() {
    if (namespaces.isEmpty()) {
      return Optional.empty();
    }
    List<String[]> labels = new ArrayList<>();
    for (String name : namespaces) {
      labels.add(name.split("\\."));
    }
    int shortest = labels.stream().mapToInt(l -> l.length).min().orElse(0);
    int common = 0;
    while (common < shortest) {
      String label = labels.get(0)[labels.get(0).length - 1 - common];
      int depth = common;
      if (!labels.stream().allMatch(l -> l[l.length - 1 - depth].equals(label))) {
        break;
      }
      common++;
    }
    if (common == 0) {
      return Optional.empty();
    }
    String[] first = labels.get(0);
    String parent = String.join(".", List.of(first).subList(first.length - common, first.length));
    return namespaces.contains(parent) && namespaces.size() == 1
        ? Optional.empty()
        : Optional.of(parent);
  }

  /** The block as CoreDNS reads it, with comments saying what to do with it. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("# cloudmap-dns: ")
        .append(namespaces.size())
        .append(namespaces.size() == 1 ? " DNS namespace" : " DNS namespaces")
        .append(" now\n");
    if (namespaces.isEmpty()) {
      out.append("# No DNS namespace yet: create one, or use a parent-domain block such as\n")
          .append("# local { grpc . ")
          .append(upstream)
          .append(" } (docs/coredns.md).\n");
      return out.toString();
    }
    Optional<String> parent = parentDomain();
    if (parent.isPresent()) {
      out.append("# Every namespace is under ")
          .append(parent.get())
          .append(": this block never needs changing for new ones.\n");
      block(out, List.of(parent.get()));
      out.append("\n# Or only the namespaces of today (reload CoreDNS when one is added):\n");
      StringBuilder perZone = new StringBuilder();
      block(perZone, namespaces);
      perZone.toString().lines().forEach(line -> out.append("# ").append(line).append('\n'));
    } else {
      out.append("# Reload CoreDNS when a namespace is added, or see docs/coredns.md for a\n")
          .append("# parent-domain or root block that never changes.\n");
      block(out, namespaces);
    }
    return out.toString();
  }

  private void block(StringBuilder out, List<String> zones) {
    List<String> sorted = new ArrayList<>(zones);
    sorted.sort(Comparator.naturalOrder());
    out.append(String.join(" ", sorted)).append(" {\n");
    out.append("    grpc . ").append(upstream);
    if (tls) {
      out.append(" {\n")
          .append(
              "        # our gRPC port wants TLS: CoreDNS's client certificate, key, and our CA\n")
          .append("        tls /etc/coredns/cloudmap/tls.crt /etc/coredns/cloudmap/tls.key")
          .append(" /etc/coredns/cloudmap/ca.crt\n")
          .append("        tls_servername ")
          .append(hostOf(upstream))
          .append('\n')
          .append("    }\n");
    } else {
      out.append('\n');
    }
    out.append("    errors\n}\n");
  }

  private static String hostOf(String upstream) {
    return upstream.substring(0, upstream.lastIndexOf(':')).replace("[", "").replace("]", "");
  }
}
