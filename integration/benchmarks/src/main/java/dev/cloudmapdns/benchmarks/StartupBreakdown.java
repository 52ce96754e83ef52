package dev.cloudmapdns.benchmarks;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one start-up's time went, read from the server's own log with Micronaut's bean lifecycle
 * logger at DEBUG ({@code -Dlogger.levels.io.micronaut.context.lifecycle=DEBUG}). Every log line
 * carries its wall-clock time; the time between two lines is charged to the event the second one
 * reports: a bean created (its own construction, after its dependencies, which are created and
 * logged first), the store loaded, a listener bound. The lines before the first one are the JVM,
 * {@code main} and Micronaut's environment (configuration files, the bean definitions found on the
 * class path, logging set up); the time after "Startup completed" until the driver's first {@code
 * 200} is the first {@code /health} request. DEBUG logging itself adds a little to each step, so
 * the breakdown run is slower than the timed ones.
 */
final class StartupBreakdown {
  private static final Pattern LINE =
      Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) \\S+ +(\\S+) - (.*)$");
  private static final Pattern CREATED = Pattern.compile("^Created bean \\[([^\\[@]+)");
  private static final ZoneId LOG_ZONE = ZoneId.systemDefault();

  /** One step: what it was and how long the log says it took. */
  record Step(String what, long millis) {}

  private final List<Step> steps = new ArrayList<>();
  private final Map<String, Long> bySource = new LinkedHashMap<>();
  private long total;

  /** Reads {@code log}, written by a server launched at {@code launchedAtMillis}. */
  static StartupBreakdown of(String log, long launchedAtMillis, long readyAfterMillis) {
    StartupBreakdown breakdown = new StartupBreakdown();
    long previous = launchedAtMillis;
    boolean first = true;
    boolean completed = false;
    for (String line : log.split("\n")) {
      Matcher matcher = LINE.matcher(line);
      if (!matcher.matches() || completed) {
        continue;
      }
      long at = epochMillis(matcher.group(1), launchedAtMillis);
      long gap = Math.max(0, at - previous);
      previous = at;
      String message = matcher.group(3);
      if (first) {
        breakdown.add("JVM, main, Micronaut environment (before the first log line)", gap, "start");
        first = false;
        continue;
      }
      Matcher created = CREATED.matcher(message);
      if (created.find()) {
        String bean = created.group(1).trim();
        breakdown.add(
            "bean " + shortName(bean),
            gap,
            bean.startsWith("dev.cloudmapdns") ? "ours" : "framework");
      } else if (message.startsWith("Startup completed")) {
        breakdown.add("HTTP server bound, startup events", gap, "framework");
        completed = true;
      } else {
        String what = message.length() > 60 ? message.substring(0, 60) + "..." : message;
        breakdown.add(matcher.group(2) + ": " + what, gap, "logged");
      }
    }
    breakdown.add(
        "first /health answered (after Startup completed)",
        Math.max(0, launchedAtMillis + readyAfterMillis - previous),
        "first request");
    return breakdown;
  }

  private void add(String what, long millis, String source) {
    steps.add(new Step(what, millis));
    bySource.merge(source, millis, Long::sum);
    total += millis;
  }

  private static long epochMillis(String time, long near) {
    LocalDate day = LocalDate.ofInstant(java.time.Instant.ofEpochMilli(near), LOG_ZONE);
    return LocalTime.parse(time).atDate(day).atZone(LOG_ZONE).toInstant().toEpochMilli();
  }

  private static String shortName(String bean) {
    int dot = bean.lastIndexOf('.');
    return dot < 0 ? bean : bean.substring(dot + 1);
  }

  /** The breakdown as a table: totals by source, then the largest steps in start-up order. */
  String render(int largest) {
    StringBuilder out = new StringBuilder();
    out.append(String.format("breakdown, %d ms from launch to the first 200:%n", total));
    bySource.forEach(
        (source, millis) ->
            out.append(
                String.format(
                    "  %-14s %6d ms (%4.1f %%)%n", source, millis, 100.0 * millis / total)));
    long threshold =
        steps.stream()
            .map(Step::millis)
            .sorted(Comparator.reverseOrder())
            .skip(Math.max(0, largest - 1))
            .findFirst()
            .orElse(0L);
    out.append(String.format("  the %d largest steps, in order:%n", largest));
    for (Step step : steps) {
      if (step.millis() >= threshold && step.millis() > 0) {
        out.append(String.format("  %6d ms  %s%n", step.millis(), step.what()));
      }
    }
    return out.toString();
  }
}
