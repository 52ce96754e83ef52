package dev.cloudmapdns.integration.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed walkthrough of DESIGN.md, command for command, with the aws CLI v1 against the packaged
 * application, ending in dig answers; and the CLI's automatic pagination over 250+ instances.
 * DiscoverInstances needs {@code AWS_DISABLE_HOST_PREFIX_INJECTION=true}: otherwise the CLI sends
 * it to data-localhost (see docs/api.md).
 */
class CloudMapApiWalkthroughIT {
  private static ApiServerProcess server;
  private static AwsCli aws;

  @BeforeAll
  static void start() throws Exception {
    String cli = AwsCli.onPath("aws");
    Assumptions.assumeTrue(cli != null, "the aws CLI v1 is not on PATH; skipping its walkthrough");
    server = ApiServerProcess.start("cli-v1-walkthrough");
    aws =
        new AwsCli(
            List.of(), cli, server.endpoint(), Map.of("AWS_DISABLE_HOST_PREFIX_INJECTION", "true"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void seedWalkthroughEndsInDnsAnswers() throws Exception {
    SeedWalkthrough.run(aws, aws, server.dnsPort());
  }

  /**
   * With {@code --output json} the CLI applies {@code --query} to all pages merged; with text it
   * applies it page by page, so counts are read as JSON.
   */
  @Test
  void autoPaginationCollectsEveryInstanceAndOperation() throws Exception {
    String operationId =
        aws.sd(
            "create-http-namespace",
            "--name",
            "paging",
            "--query",
            "OperationId",
            "--output",
            "text");
    String namespaceId =
        aws.sd(
            "get-operation",
            "--operation-id",
            operationId,
            "--query",
            "Operation.Targets.NAMESPACE",
            "--output",
            "text");
    String serviceId =
        aws.sd(
            "create-service",
            "--name",
            "many",
            "--namespace-id",
            namespaceId,
            "--query",
            "Service.Id",
            "--output",
            "text");
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 260; i++) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/"))
              .header("Content-Type", "application/x-amz-json-1.1")
              .header("X-Amz-Target", "Route53AutoNaming_v20170314.RegisterInstance")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"ServiceId\":\""
                          + serviceId
                          + "\",\"InstanceId\":\"i-"
                          + i
                          + "\",\"Attributes\":{\"slot\":\""
                          + i
                          + "\"}}"))
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
    }
    assertEquals(
        "260",
        aws.sd(
            "list-instances",
            "--service-id",
            serviceId,
            "--query",
            "length(Instances)",
            "--output",
            "json"));
    assertEquals(
        "260",
        aws.sd(
            "list-instances",
            "--service-id",
            serviceId,
            "--page-size",
            "7",
            "--query",
            "length(Instances[])",
            "--output",
            "json"));
    // The CLI does not paginate GetInstancesHealthStatus itself: follow NextToken by hand.
    int statuses = 0;
    String token = null;
    do {
      List<String> args =
          new java.util.ArrayList<>(
              List.of(
                  "get-instances-health-status",
                  "--service-id",
                  serviceId,
                  "--query",
                  "[length(keys(Status)), NextToken]",
                  "--output",
                  "text"));
      if (token != null) {
        args.addAll(List.of("--next-token", token));
      }
      String[] page = aws.sd(args.toArray(String[]::new)).split("\t");
      statuses += Integer.parseInt(page[0]);
      token = page[1].equals("None") ? null : page[1];
    } while (token != null);
    assertEquals(260, statuses);
    int operations =
        Integer.parseInt(
            aws.sd(
                "list-operations",
                "--filters",
                "Name=SERVICE_ID,Values=" + serviceId,
                "--query",
                "length(Operations)",
                "--output",
                "json"));
    assertEquals(260, operations);
    assertEquals(
        "260",
        aws.sd(
            "discover-instances",
            "--namespace-name",
            "paging",
            "--service-name",
            "many",
            "--max-results",
            "1000",
            "--query",
            "length(Instances)",
            "--output",
            "json"));
  }
}
