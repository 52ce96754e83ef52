package dev.cloudmapdns.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code dnsperf} (DNS-OARC's load tool, installed from the distribution) against a loopback
 * port and reads its summary.
 */
final class Dnsperf {
  private static final Pattern QPS = Pattern.compile("Queries per second:\\s+([0-9.]+)");
  private static final Pattern SENT = Pattern.compile("Queries sent:\\s+(\\d+)");
  private static final Pattern LOST = Pattern.compile("Queries lost:\\s+(\\d+)");

  /** One run's summary. */
  record Result(double queriesPerSecond, long sent, long lost) {
    boolean answeredAny() {
      return sent > lost;
    }
  }

  /** How the queries travel. */
  enum Mode {
    UDP(List.of("-m", "udp")),
    UDP_EDNS(List.of("-m", "udp", "-e")),
    TCP(List.of("-m", "tcp"));

    final List<String> arguments;

    Mode(List<String> arguments) {
      this.arguments = arguments;
    }
  }

  private Dnsperf() {}

  static Result run(int port, Path queries, Mode mode, int clients, int seconds)
      throws IOException, InterruptedException {
    return run(port, queries, mode, clients, seconds, List.of());
  }

  /** With more of dnsperf's options, such as {@code -Q} (a fixed offered rate). */
  static Result run(
      int port, Path queries, Mode mode, int clients, int seconds, List<String> options)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(CpuPinning.client());
    command.addAll(List.of("dnsperf", "-s", "127.0.0.1"));
    command.addAll(List.of("-p", Integer.toString(port), "-d", queries.toString()));
    command.addAll(List.of("-c", Integer.toString(clients), "-l", Integer.toString(seconds)));
    command.addAll(mode.arguments);
    command.addAll(options);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    Matcher qps = QPS.matcher(output);
    Matcher sent = SENT.matcher(output);
    Matcher lost = LOST.matcher(output);
    if (!qps.find() || !sent.find() || !lost.find()) {
      throw new IllegalStateException("unexpected dnsperf output:\n" + output);
    }
    return new Result(
        Double.parseDouble(qps.group(1)),
        Long.parseLong(sent.group(1)),
        Long.parseLong(lost.group(1)));
  }
}
