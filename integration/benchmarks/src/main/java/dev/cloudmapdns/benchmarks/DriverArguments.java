package dev.cloudmapdns.benchmarks;

import java.nio.file.Path;

/** A load driver's positional arguments, each with its default when left out. */
record DriverArguments(String[] values) {
  int number(int position, int fallback) {
    return position < values.length ? Integer.parseInt(values[position]) : fallback;
  }

  Path serverJar(int position) {
    return Path.of(position < values.length ? values[position] : "server/target/cloudmap-dns.jar");
  }
}
