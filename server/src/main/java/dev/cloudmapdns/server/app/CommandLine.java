package dev.cloudmapdns.server.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line: our own options, and everything else passed on to Micronaut, which reads {@code
 * --some.property=value} arguments as configuration. Each of our options with a value is a short
 * name for one property ({@link #properties}).
 */
record CommandLine(
    boolean help,
    boolean version,
    boolean exitWhenStarted,
    Map<String, String> properties,
    List<String> passThrough) {

  static final String SEED = "cloudmap.seed";
  static final String STORE = "cloudmap.store.type";
  static final String STORE_FILE = "cloudmap.store.file";
  static final String KUBERNETES = "cloudmap.kubernetes.enabled";
  static final String ETCD_ENDPOINTS = "cloudmap.store.etcd.endpoints";

  /** Options that take a value: the property each sets, and what the value is called. */
  private static final Map<String, ValueOption> VALUE_OPTIONS =
      Map.of(
          "--seed",
          new ValueOption(SEED, "a file name", List.of()),
          "--store",
          new ValueOption(STORE, "sqlite, etcd or memory", List.of("sqlite", "etcd", "memory")),
          "--store-file",
          new ValueOption(STORE_FILE, "a file name", List.of()),
          "--etcd-endpoints",
          new ValueOption(ETCD_ENDPOINTS, "etcd client URLs, comma-separated", List.of()));

  static final String USAGE =
      """
      Usage: java -jar cloudmap-dns.jar [options] [--property=value ...]
             java -jar cloudmap-dns.jar corefile [--server URL] [--upstream HOST:PORT]

      An AWS Cloud Map compatible service registry that answers DNS for its
      namespaces, to CoreDNS's grpc plugin and to dig.

      Options:
        --store TYPE       where the registry lives: sqlite (default), a database
                           file that survives restarts and crashes; etcd, a
                           cluster several replicas share; or memory, forgotten
                           when the server stops (see docs/store.md)
        --store-file FILE  the SQLite database (default ./data/cloudmap.db; its
                           directory is created when missing)
        --etcd-endpoints URLS
                           with --store=etcd: the members' client URLs, e.g.
                           http://10.0.0.1:2379,http://10.0.0.2:2379 (TLS, user
                           and prefix: cloudmap.store.etcd.*, docs/store.md)
        --seed FILE        load namespaces, services and instances from a YAML
                           file at start-up when the store is empty (see
                           docs/seed-file.md); a problem in it stops start-up
                           with the file, line and reason
        --exit-when-started
                           start every server, answer one request on each,
                           then stop: the training run that writes a class-data
                           archive for a faster start (see docs/configuration.md,
                           "Start-up")
        --kubernetes       register the pods of ECS services (KECS's pods, or pods
                           annotated cloudmap-dns.io/service) with their
                           readiness as health; the cluster comes from the
                           in-cluster service account, else KUBECONFIG or
                           ~/.kube/config, and must answer at start-up (see
                           docs/kubernetes.md; namespaces to watch:
                           --cloudmap.kubernetes.namespaces=a,b)
        --help             print this help and exit
        --version          print the version and exit

      Commands:
        corefile           print the CoreDNS block for a running server's DNS
                           namespaces (corefile --help; see docs/coredns.md)

      Any Micronaut configuration property can be given as --name=value, e.g.
        --grpc.server.port=9953 --cloudmap.dns.listener-port=8053
        --micronaut.server.port=5373 --cloudmap.dns.listener-host=0.0.0.0
        --cloudmap.dns.forwarders=resolv.conf   forward names outside every namespace
        --cloudmap.grpc.tls.cert-file=tls.crt --cloudmap.grpc.tls.key-file=tls.key
        --cloudmap.grpc.tls.client-ca-file=ca.crt   mutual TLS on gRPC (docs/security.md)

      Default endpoints (all on loopback):
        gRPC  127.0.0.1:9953  coredns.dns.DnsService, cloudmapdns.v1.DnsDebug,
                              cloudmapdns.v1.RegistryWatch, grpc.health.v1.Health,
                              server reflection
        DNS   127.0.0.1:8053  UDP and TCP
        HTTP  127.0.0.1:5373  the Cloud Map API (POST /, see docs/api.md), /health,
                              /metrics (Prometheus), /coredns/corefile

      Configuration reference: docs/configuration.md
      """;

  /** The seed file, or null. */
  String seed() {
    return properties.get(SEED);
  }

  /**
   * Parses {@code args}.
   *
   * @throws IllegalArgumentException with a message for the user
   */
  static CommandLine parse(String[] args) {
    boolean help = false;
    boolean version = false;
    boolean exitWhenStarted = false;
    Map<String, String> properties = new LinkedHashMap<>();
    List<String> passThrough = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg : arg.substring(0, equals);
      ValueOption option = VALUE_OPTIONS.get(name);
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
      } else if (arg.equals("--version")) {
        version = true;
      } else if (arg.equals("--exit-when-started")) {
        exitWhenStarted = true;
      } else if (arg.equals("--kubernetes")) {
        properties.put(KUBERNETES, "true");
      } else if (option != null) {
        String value;
        if (equals >= 0) {
          value = arg.substring(equals + 1);
        } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
          value = args[++i];
        } else {
          value = "";
        }
        properties.put(option.property(), option.check(name, value));
      } else if (arg.startsWith("--") && equals >= 0) {
        passThrough.add(arg);
      } else {
        throw new IllegalArgumentException("unknown argument: " + arg);
      }
    }
    return new CommandLine(
        help, version, exitWhenStarted, Map.copyOf(properties), List.copyOf(passThrough));
  }

  private record ValueOption(String property, String expected, List<String> choices) {
    String check(String name, String value) {
      if (value.isEmpty() || !(choices.isEmpty() || choices.contains(value))) {
        throw new IllegalArgumentException(
            name + " needs " + expected + (value.isEmpty() ? "" : ", not " + value));
      }
      return value;
    }
  }
}
