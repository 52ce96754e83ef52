package dev.cloudmapdns.integration.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;
import software.amazon.awssdk.services.servicediscovery.model.DiscoverInstancesResponse;
import software.amazon.awssdk.services.servicediscovery.model.DnsRecord;
import software.amazon.awssdk.services.servicediscovery.model.FilterCondition;
import software.amazon.awssdk.services.servicediscovery.model.HttpInstanceSummary;
import software.amazon.awssdk.services.servicediscovery.model.Namespace;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceAlreadyExistsException;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.RecordType;
import software.amazon.awssdk.services.servicediscovery.model.ResourceInUseException;
import software.amazon.awssdk.services.servicediscovery.model.ServiceAlreadyExistsException;
import software.amazon.awssdk.services.servicediscovery.model.ServiceDiscoveryException;
import software.amazon.awssdk.services.servicediscovery.model.ServiceFilter;
import software.amazon.awssdk.services.servicediscovery.model.ServiceFilterName;

/**
 * The seed walkthrough with the AWS SDK for Java v2 ({@code servicediscovery}), signed requests,
 * typed exceptions and the SDK's paginators, against the packaged application. The host prefix is
 * switched off with the client's own option.
 */
class CloudMapApiSdkWalkthroughIT {
  private static ApiServerProcess server;
  private static ServiceDiscoveryClient client;

  @BeforeAll
  static void start() throws Exception {
    server = ApiServerProcess.start("sdk-walkthrough");
    client =
        ServiceDiscoveryClient.builder()
            .endpointOverride(URI.create(server.endpoint()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .overrideConfiguration(
                c ->
                    c.putAdvancedOption(
                        SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
            .build();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void seedWalkthroughEndsInDnsAnswers() throws Exception {
    String operationId =
        client.createPrivateDnsNamespace(b -> b.name("app.local").vpc("vpc-default")).operationId();
    var operation = client.getOperation(b -> b.operationId(operationId)).operation();
    assertEquals(OperationStatus.SUCCESS, operation.status());
    assertNotNull(operation.createDate());
    String namespaceId = operation.targetsAsStrings().get("NAMESPACE");

    Namespace namespace = client.getNamespace(b -> b.id(namespaceId)).namespace();
    assertEquals("app.local", namespace.name());
    assertEquals(15L, namespace.properties().dnsProperties().soa().ttl());
    assertTrue(namespace.createDate().getEpochSecond() > 1_700_000_000L);

    String serviceId =
        client
            .createService(
                b ->
                    b.name("backend-api")
                        .namespaceId(namespaceId)
                        .dnsConfig(
                            d ->
                                d.dnsRecords(
                                    DnsRecord.builder().type(RecordType.A).ttl(60L).build()))
                        .healthCheckCustomConfig(h -> h.build()))
            .service()
            .id();
    client.registerInstance(
        b ->
            b.serviceId(serviceId)
                .instanceId("backend-1")
                .attributes(
                    Map.of("AWS_INSTANCE_IPV4", "127.0.0.10", "AWS_INSTANCE_PORT", "8080")));

    DiscoverInstancesResponse discovered =
        client.discoverInstances(b -> b.namespaceName("app.local").serviceName("backend-api"));
    assertEquals(
        List.of("127.0.0.10"),
        discovered.instances().stream()
            .map(HttpInstanceSummary::attributes)
            .map(a -> a.get("AWS_INSTANCE_IPV4"))
            .toList());
    assertTrue(discovered.instancesRevision() > 0);
    assertEquals(
        List.of("127.0.0.10"), Dig.answers(server.dnsPort(), "backend-api.app.local", "A"));

    assertThrows(
        ResourceInUseException.class, () -> client.deleteNamespace(b -> b.id(namespaceId)));
    NamespaceNotFoundException missing =
        assertThrows(
            NamespaceNotFoundException.class,
            () -> client.getNamespace(b -> b.id("ns-0000000000000000")));
    assertEquals(400, missing.statusCode());
    ServiceDiscoveryException invalid =
        assertThrows(
            ServiceDiscoveryException.class,
            () -> client.getInstancesHealthStatus(b -> b.serviceId(serviceId).maxResults(500)));
    assertEquals("InvalidInput", invalid.awsErrorDetails().errorCode());
  }

  @Test
  void paginatorsCollectEveryInstance() {
    String operationId = client.createHttpNamespace(b -> b.name("sdk-paging")).operationId();
    String namespaceId =
        client
            .getOperation(b -> b.operationId(operationId))
            .operation()
            .targetsAsStrings()
            .get("NAMESPACE");
    String serviceId =
        client.createService(b -> b.name("many").namespaceId(namespaceId)).service().id();
    for (int i = 0; i < 120; i++) {
      String id = "i-" + i;
      client.registerInstance(
          b -> b.serviceId(serviceId).instanceId(id).attributes(Map.of("slot", id)));
    }
    long listed =
        client.listInstancesPaginator(b -> b.serviceId(serviceId).maxResults(25)).stream()
            .mapToLong(page -> page.instances().size())
            .sum();
    assertEquals(120, listed);
    long services =
        client
            .listServicesPaginator(
                b ->
                    b.maxResults(1)
                        .filters(
                            ServiceFilter.builder()
                                .name(ServiceFilterName.NAMESPACE_ID)
                                .condition(FilterCondition.EQ)
                                .values(namespaceId)
                                .build()))
            .stream()
            .mapToLong(page -> page.services().size())
            .sum();
    assertEquals(1, services);
  }

  @Test
  void alreadyExistsExceptionsNameTheExistingResource() {
    String operationId =
        client
            .createHttpNamespace(b -> b.name("sdk-exists").creatorRequestId("ns-request"))
            .operationId();
    String namespaceId =
        client
            .getOperation(b -> b.operationId(operationId))
            .operation()
            .targetsAsStrings()
            .get("NAMESPACE");
    NamespaceAlreadyExistsException namespaceExists =
        assertThrows(
            NamespaceAlreadyExistsException.class,
            () -> client.createHttpNamespace(b -> b.name("sdk-exists")));
    assertEquals(namespaceId, namespaceExists.namespaceId());
    assertEquals("ns-request", namespaceExists.creatorRequestId());

    var service =
        client
            .createService(
                b -> b.name("web").namespaceId(namespaceId).creatorRequestId("srv-request"))
            .service();
    ServiceAlreadyExistsException serviceExists =
        assertThrows(
            ServiceAlreadyExistsException.class,
            () -> client.createService(b -> b.name("web").namespaceId(namespaceId)));
    assertEquals(service.id(), serviceExists.serviceId());
    assertEquals(service.arn(), serviceExists.serviceArn());
    assertEquals("srv-request", serviceExists.creatorRequestId());
  }
}
