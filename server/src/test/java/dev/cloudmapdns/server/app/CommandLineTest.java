package dev.cloudmapdns.server.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The command line: our own options, and Micronaut properties passed on untouched. */
class CommandLineTest {
  private static CommandLine parse(String... args) {
    return CommandLine.parse(args);
  }

  @Test
  void noArgumentsMeansDefaults() {
    assertEquals(new CommandLine(false, false, false, Map.of(), List.of()), parse());
  }

  @Test
  void takesTheSeedFileAsTheNextArgument() {
    assertEquals("registry.yaml", parse("--seed", "registry.yaml").seed());
  }

  @Test
  void takesTheSeedFileAfterAnEqualsSign() {
    assertEquals("conf/registry.yaml", parse("--seed=conf/registry.yaml").seed());
  }

  @Test
  void theSeedOptionIsNotPassedOnToMicronaut() {
    CommandLine cli = parse("--seed=registry.yaml", "--grpc.server.port=9000");

    assertEquals(List.of("--grpc.server.port=9000"), cli.passThrough());
  }

  @Test
  void storeOptionsBecomeStoreProperties() {
    CommandLine cli = parse("--store", "memory", "--store-file=/var/lib/cloudmap.db");

    assertEquals(
        Map.of("cloudmap.store.type", "memory", "cloudmap.store.file", "/var/lib/cloudmap.db"),
        cli.properties());
    assertEquals(List.of(), cli.passThrough());
  }

  @Test
  void theKubernetesFlagTurnsTheWatcherOn() {
    CommandLine cli = parse("--kubernetes", "--cloudmap.kubernetes.namespaces=shop");

    assertEquals(Map.of("cloudmap.kubernetes.enabled", "true"), cli.properties());
    assertEquals(List.of("--cloudmap.kubernetes.namespaces=shop"), cli.passThrough());
  }

  @Test
  void etcdOptionsBecomeEtcdStoreProperties() {
    CommandLine cli =
        parse("--store=etcd", "--etcd-endpoints", "http://10.0.0.1:2379,http://10.0.0.2:2379");

    assertEquals(
        Map.of(
            "cloudmap.store.type",
            "etcd",
            "cloudmap.store.etcd.endpoints",
            "http://10.0.0.1:2379,http://10.0.0.2:2379"),
        cli.properties());
  }

  @Test
  void recognisesHelp() {
    assertTrue(parse("--help").help());
    assertTrue(parse("-h").help());
    assertFalse(parse("--version").help());
  }

  @Test
  void recognisesVersion() {
    assertTrue(parse("--version").version());
    assertFalse(parse("--help").version());
  }

  @Test
  void passesPropertiesOnInOrder() {
    CommandLine cli =
        parse(
            "--grpc.server.port=9953",
            "--seed",
            "registry.yaml",
            "--cloudmap.dns.listener-host=0.0.0.0",
            "--micronaut.server.port=5373",
            "--a.b=c=d");

    assertEquals(
        List.of(
            "--grpc.server.port=9953",
            "--cloudmap.dns.listener-host=0.0.0.0",
            "--micronaut.server.port=5373",
            "--a.b=c=d"),
        cli.passThrough());
    assertEquals("registry.yaml", cli.seed());
    assertFalse(cli.help());
    assertFalse(cli.version());
  }

  @Test
  void passThroughIsImmutable() {
    List<String> passThrough = parse("--a.b=c").passThrough();

    assertThrows(UnsupportedOperationException.class, () -> passThrough.add("--x=y"));
  }

  @Test
  void exitWhenStartedIsAFlagOfItsOwn() {
    assertTrue(parse("--exit-when-started", "--store=memory").exitWhenStarted());
    assertFalse(parse("--store=memory").exitWhenStarted());
  }

  @Test
  void theUsageNamesEveryOption() {
    for (String option :
        List.of(
            "--seed FILE",
            "--store TYPE",
            "--store-file FILE",
            "--kubernetes",
            "--etcd-endpoints URLS",
            "--help",
            "--version",
            "--exit-when-started",
            "--name=value")) {
      assertTrue(CommandLine.USAGE.contains(option), option);
    }
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of(new String[] {"registry.yaml"}, "unknown argument: registry.yaml"),
        Arguments.of(new String[] {"--verbose"}, "unknown argument: --verbose"),
        Arguments.of(new String[] {"-seed", "registry.yaml"}, "unknown argument: -seed"),
        Arguments.of(new String[] {"--help", "extra"}, "unknown argument: extra"),
        Arguments.of(new String[] {"--seed"}, "--seed needs a file name"),
        Arguments.of(new String[] {"--seed="}, "--seed needs a file name"),
        Arguments.of(new String[] {"--seed", "--a.b=c"}, "--seed needs a file name"),
        Arguments.of(new String[] {"--seed", "--help"}, "--seed needs a file name"),
        Arguments.of(new String[] {"--store"}, "--store needs sqlite, etcd or memory"),
        Arguments.of(
            new String[] {"--store=disk"}, "--store needs sqlite, etcd or memory, not disk"),
        Arguments.of(new String[] {"--store-file="}, "--store-file needs a file name"),
        Arguments.of(
            new String[] {"--etcd-endpoints"},
            "--etcd-endpoints needs etcd client URLs, comma-separated"));
  }

  @ParameterizedTest
  @MethodSource
  void mistakes(String[] args, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(args));

    assertEquals(message, e.getMessage());
  }

  @Test
  void aSeedFileMayBeNamedLikeAnOptionValue() {
    assertNull(parse("--a.b=c").seed());
    assertEquals("-registry.yaml", parse("--seed", "-registry.yaml").seed());
  }
}
