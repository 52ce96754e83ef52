package dev.cloudmapdns.integration.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The seed walkthrough of DESIGN.md ("Who uses it, and how"), command for command, with {@code
 * --query}/{@code --output text} as the seed uses them, ending in dig answers. Shared by the
 * walkthroughs of both CLI versions.
 */
final class SeedWalkthrough {
  private SeedWalkthrough() {}

  /**
   * @param aws the CLI for every command
   * @param discovery the CLI for discover-instances, which must reach the server despite the data-
   *     host prefix; null when this machine cannot, and the command is skipped
   */
  static void run(AwsCli aws, AwsCli discovery, int dnsPort) throws Exception {
    HttpServer checkedTarget = HttpServer.create(new InetSocketAddress("127.0.0.12", 0), 16);
    checkedTarget.createContext(
        "/health",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    checkedTarget.start();
    try {
      walkthrough(aws, discovery, dnsPort, checkedTarget);
    } finally {
      checkedTarget.stop(0);
    }
  }

  private static void awaitAnswers(int dnsPort, String name, List<String> expected)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    List<String> last = null;
    while (System.nanoTime() < deadline) {
      last = Dig.answers(dnsPort, name, "A");
      if (last.equals(expected)) {
        return;
      }
      Thread.sleep(50);
    }
    assertEquals(expected, last);
  }

  private static void walkthrough(
      AwsCli aws, AwsCli discovery, int dnsPort, HttpServer checkedTarget) throws Exception {
    String operationId =
        aws.sd(
            "create-private-dns-namespace",
            "--name",
            "app.local",
            "--vpc",
            "vpc-default",
            "--query",
            "OperationId",
            "--output",
            "text");
    assertEquals(
        "SUCCESS",
        aws.sd(
            "get-operation",
            "--operation-id",
            operationId,
            "--query",
            "Operation.Status",
            "--output",
            "text"));
    String namespaceId =
        aws.sd(
            "get-operation",
            "--operation-id",
            operationId,
            "--query",
            "Operation.Targets.NAMESPACE",
            "--output",
            "text");
    assertTrue(namespaceId.matches("ns-[a-z0-9]{16}"), namespaceId);

    // The server checks this service's instances itself: give it a real server on loopback.
    String checked =
        aws.sd(
            "create-service",
            "--name",
            "checked-api",
            "--namespace-id",
            namespaceId,
            "--dns-config",
            "NamespaceId=" + namespaceId + ",DnsRecords=[{Type=A,TTL=60}]",
            "--health-check-config",
            "Type=HTTP,ResourcePath=/health,FailureThreshold=3",
            "--query",
            "Service.Id",
            "--output",
            "text");
    String serviceId =
        aws.sd(
            "create-service",
            "--name",
            "backend-api",
            "--namespace-id",
            namespaceId,
            "--dns-config",
            "NamespaceId=" + namespaceId + ",DnsRecords=[{Type=A,TTL=60}]",
            "--health-check-custom-config",
            "FailureThreshold=1",
            "--query",
            "Service.Id",
            "--output",
            "text");

    aws.sd(
        "register-instance",
        "--service-id",
        serviceId,
        "--instance-id",
        "backend-1",
        "--attributes",
        "AWS_INSTANCE_IPV4=127.0.0.10,AWS_INSTANCE_PORT=8080");
    aws.sd(
        "register-instance",
        "--service-id",
        serviceId,
        "--instance-id",
        "backend-2",
        "--attributes",
        "AWS_INSTANCE_IPV4=127.0.0.11,AWS_INSTANCE_PORT=8080");
    aws.sd(
        "register-instance",
        "--service-id",
        checked,
        "--instance-id",
        "checked-1",
        "--attributes",
        "AWS_INSTANCE_IPV4=127.0.0.12,AWS_INSTANCE_PORT=" + checkedTarget.getAddress().getPort());

    if (discovery == null) {
      System.out.println(
          "skipping discover-instances: data-localhost cannot be made to resolve here");
    } else {
      assertEquals(
          "127.0.0.10\t127.0.0.11",
          discovery.sd(
              "discover-instances",
              "--namespace-name",
              "app.local",
              "--service-name",
              "backend-api",
              "--query",
              "sort(Instances[].Attributes.AWS_INSTANCE_IPV4)",
              "--output",
              "text"));
    }
    assertEquals(
        List.of("127.0.0.10", "127.0.0.11"), Dig.answers(dnsPort, "backend-api.app.local", "A"));
    // Its first check runs at once on registration; until it passes, it is not answered.
    awaitAnswers(dnsPort, "checked-api.app.local", List.of("127.0.0.12"));
    assertEquals(
        "HEALTHY",
        aws.sd(
            "get-instances-health-status",
            "--service-id",
            checked,
            "--query",
            "Status.\"checked-1\"",
            "--output",
            "text"));

    aws.sd(
        "update-instance-custom-health-status",
        "--service-id",
        serviceId,
        "--instance-id",
        "backend-2",
        "--status",
        "UNHEALTHY");
    assertEquals(List.of("127.0.0.10"), Dig.answers(dnsPort, "backend-api.app.local", "A"));
    aws.sd("deregister-instance", "--service-id", serviceId, "--instance-id", "backend-1");
    assertEquals(List.of(), Dig.answers(dnsPort, "backend-api.app.local", "A"));

    AwsCli.Result inUse = aws.run("delete-namespace", "--id", namespaceId);
    assertTrue(inUse.exitCode() != 0, inUse.stderr());
    assertTrue(
        inUse
            .stderr()
            .contains(
                "An error occurred (ResourceInUse) when calling the DeleteNamespace operation"),
        inUse.stderr());
  }
}
