package dev.cloudmapdns.integration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@code dig} from dnsutils, run against a local port. */
final class Dig {
  private Dig() {}

  static boolean available() {
    try {
      Process process = new ProcessBuilder("dig", "-v").redirectErrorStream(true).start();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs {@code dig @127.0.0.1 -p port <args>} with short timeouts and returns its output. */
  static String run(int port, String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of("dig", "@127.0.0.1", "-p", Integer.toString(port), "+time=2", "+tries=1"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("dig did not finish: " + command);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new AssertionError("dig failed (" + process.exitValue() + "): " + output);
    }
    return output;
  }
}
