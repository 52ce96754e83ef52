package dev.cloudmapdns.server.app;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line: our own options, and everything else passed on to Micronaut, which reads {@code
 * --some.property=value} arguments as configuration.
 */
record CommandLine(boolean help, boolean version, String seed, List<String> passThrough) {

  static final String USAGE =
      """
      Usage: java -jar cloudmap-dns.jar [options] [--property=value ...]

      An AWS Cloud Map compatible service registry that answers DNS for its
      namespaces, to CoreDNS's grpc plugin and to dig.

      Options:
        --seed FILE     load namespaces, services and instances from a YAML file
                        at start-up (see docs/seed-file.md); a problem in it stops
                        start-up with the file, line and reason
        --help          print this help and exit
        --version       print the version and exit

      Any Micronaut configuration property can be given as --name=value, e.g.
        --grpc.server.port=9953 --cloudmap.dns.listener-port=8053
        --micronaut.server.port=5373 --cloudmap.dns.listener-host=0.0.0.0

      Default endpoints (all on loopback):
        gRPC  127.0.0.1:9953  coredns.dns.DnsService, cloudmapdns.v1.DnsDebug,
                              cloudmapdns.v1.RegistryWatch, grpc.health.v1.Health,
                              server reflection
        DNS   127.0.0.1:8053  UDP and TCP
        HTTP  127.0.0.1:5373  the Cloud Map API (POST /, see docs/api.md), /health,
                              /healthchecks

      Configuration reference: docs/configuration.md
      """;

  /**
   * Parses {@code args}.
   *
   * @throws IllegalArgumentException with a message for the user
   */
  static CommandLine parse(String[] args) {
    boolean help = false;
    boolean version = false;
    String seed = null;
    List<String> passThrough = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
      } else if (arg.equals("--version")) {
        version = true;
      } else if (arg.equals("--seed")) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new IllegalArgumentException("--seed needs a file name");
        }
        seed = args[++i];
      } else if (arg.startsWith("--seed=")) {
        seed = arg.substring("--seed=".length());
        if (seed.isEmpty()) {
          throw new IllegalArgumentException("--seed needs a file name");
        }
      } else if (arg.startsWith("--") && arg.contains("=")) {
        passThrough.add(arg);
      } else {
        throw new IllegalArgumentException("unknown argument: " + arg);
      }
    }
    return new CommandLine(help, version, seed, List.copyOf(passThrough));
  }
}
