package dev.cloudmapdns.dns.forward;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One upstream resolver, by address and port. Parsed from the {@code cloudmap.dns.forwarders}
 * setting: {@code host:port}, {@code host} (port 53), {@code [v6-address]:port}, or a resolv.conf
 * file ({@code resolv.conf} for {@code /etc/resolv.conf}, or a path ending in {@code resolv.conf})
 * whose {@code nameserver} lines each give one upstream on port 53.
 */
public record Upstream(InetSocketAddress address) {
  public static final int DNS_PORT = 53;
  public static final Path SYSTEM_RESOLV_CONF = Path.of("/etc/resolv.conf");

  @Override
  public String toString() {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  /**
   * Every upstream named by {@code entries}, in order.
   *
   * @throws IllegalArgumentException naming the entry that is not an upstream
   */
  public static List<Upstream> parseAll(List<String> entries) {
    List<Upstream> upstreams = new ArrayList<>();
    for (String raw : entries) {
      String entry = raw.strip();
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.equals("resolv.conf")) {
        upstreams.addAll(fromResolvConf(SYSTEM_RESOLV_CONF));
      } else if (entry.endsWith("resolv.conf")) {
        upstreams.addAll(fromResolvConf(Path.of(entry)));
      } else {
        upstreams.add(parse(entry));
      }
    }
    return List.copyOf(upstreams);
  }

  /** {@code host:port}, {@code host}, {@code [v6]:port} or {@code [v6]}. */
  public static Upstream parse(String entry) {
    String host;
    String port = null;
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      if (close < 0) {
        throw invalid(entry, "an IPv6 address needs a closing ]");
      }
      host = entry.substring(1, close);
      String rest = entry.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw invalid(entry, "expected :port after ]");
        }
        port = rest.substring(1);
      }
    } else if (entry.indexOf(':') != entry.lastIndexOf(':')) {
      host = entry; // a bare IPv6 address
    } else {
      int colon = entry.indexOf(':');
      host = colon < 0 ? entry : entry.substring(0, colon);
      port = colon < 0 ? null : entry.substring(colon + 1);
    }
    int portNumber = DNS_PORT;
    if (port != null) {
      try {
        portNumber = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw invalid(entry, "the port is not a number");
      }
      if (portNumber < 1 || portNumber > 65_535) {
        throw invalid(entry, "the port is not between 1 and 65535");
      }
    }
    if (host.isEmpty()) {
      throw invalid(entry, "no host");
    }
    try {
      return new Upstream(new InetSocketAddress(InetAddress.getByName(host), portNumber));
    } catch (UnknownHostException e) {
      throw invalid(entry, "unknown host " + host);
    }
  }

  /** The {@code nameserver} lines of a resolv.conf file, each on port 53. */
  public static List<Upstream> fromResolvConf(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cloudmap.dns.forwarders: cannot read " + file + ": " + e.getMessage(),
          new UncheckedIOException(e));
    }
    List<Upstream> upstreams = new ArrayList<>();
    for (String line : lines) {
      String[] words = line.strip().split("\\s+");
      if (words.length >= 2 && words[0].equals("nameserver")) {
        String address = words[1];
        int zone = address.indexOf('%'); // fe80::1%eth0: the scope is not ours to use
        upstreams.add(parse(zone < 0 ? address : address.substring(0, zone)));
      }
    }
    if (upstreams.isEmpty()) {
      throw new IllegalArgumentException(
          "cloudmap.dns.forwarders: " + file + " names no nameserver");
    }
    return upstreams;
  }

  private static IllegalArgumentException invalid(String entry, String why) {
    return new IllegalArgumentException(
        "cloudmap.dns.forwarders: " + entry + " is not host:port (" + why + ")");
  }
}
