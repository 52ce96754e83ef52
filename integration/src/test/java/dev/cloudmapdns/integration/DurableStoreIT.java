package dev.cloudmapdns.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The packaged server on its default store (SQLite): what the API acknowledged is there after a
 * SIGKILL, and a restarted server answers the API and DNS exactly as before.
 */
class DurableStoreIT {
  private static final int CLIENTS = 32;
  private static final int SERVICES = 4;

  /** Per client; 8 clients per service stay under Cloud Map's 1,000 instances per service. */
  private static final int REGISTRATIONS_PER_CLIENT = 120;

  /** Acknowledged registrations before the kill: the burst is well under way, far from done. */
  private static final int ACKNOWLEDGED_BEFORE_KILL = 300;

  @Test
  void everyAcknowledgedRegistrationSurvivesSigkillMidBurst() throws Exception {
    String store = "--store-file=" + StoreFiles.newDirectory().resolve("cloudmap.db");
    Map<String, String> acknowledged = new ConcurrentHashMap<>(); // "service/instance" -> IPv4
    AtomicInteger failedCalls = new AtomicInteger();
    List<String> serviceNames = new ArrayList<>();
    try (CloudMapDnsProcess server = CloudMapDnsProcess.start(store)) {
      CloudMapHttp api = new CloudMapHttp(server.httpPort);
      String namespaceId = api.createPrivateDnsNamespace("crash.test");
      List<String> serviceIds = new ArrayList<>();
      for (int s = 0; s < SERVICES; s++) {
        serviceNames.add("burst-" + s);
        serviceIds.add(
            api.createDnsService(namespaceId, "burst-" + s, 60, "A", "SRV").get("Id").asText());
      }
      CountDownLatch enough = new CountDownLatch(ACKNOWLEDGED_BEFORE_KILL);
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        clients.execute(
            () -> {
              int service = client % SERVICES;
              for (int n = 0; n < REGISTRATIONS_PER_CLIENT; n++) {
                String instance = "i-" + client + "-" + n;
                String address = "10." + client + "." + (n / 250) + "." + (n % 250 + 1);
                try {
                  api.call(
                      "RegisterInstance",
                      Map.of(
                          "ServiceId", serviceIds.get(service),
                          "InstanceId", instance,
                          "Attributes",
                              Map.of("AWS_INSTANCE_IPV4", address, "AWS_INSTANCE_PORT", "8080")));
                  acknowledged.put("burst-" + service + "/" + instance, address);
                  enough.countDown();
                } catch (IOException | InterruptedException e) {
                  failedCalls.incrementAndGet();
                  return; // the server is gone
                }
              }
            });
      }
      assertTrue(enough.await(120, TimeUnit.SECONDS), "the burst never got going");
      server.kill();
      clients.shutdown();
      assertTrue(clients.awaitTermination(120, TimeUnit.SECONDS), "clients did not stop");
      assertEquals(137, server.exitValue(), "killed by SIGKILL (128 + 9)");
    }
    assertTrue(
        failedCalls.get() > 0 && acknowledged.size() < CLIENTS * REGISTRATIONS_PER_CLIENT,
        "the kill must land mid-burst: " + acknowledged.size() + " acknowledged");
    System.out.printf(
        "SIGKILL with %d registrations acknowledged and %d calls cut off%n",
        acknowledged.size(), failedCalls.get());

    try (CloudMapDnsProcess restarted = CloudMapDnsProcess.start(store)) {
      CloudMapHttp api = new CloudMapHttp(restarted.httpPort);
      Set<String> stored = new TreeSet<>();
      JsonNode services = api.call("ListServices", "{}").get("Services");
      for (JsonNode service : services) {
        for (JsonNode instance : listInstances(api, service.get("Id").asText())) {
          stored.add(service.get("Name").asText() + "/" + instance.get("Id").asText());
        }
      }
      Set<String> missing = new TreeSet<>(acknowledged.keySet());
      missing.removeAll(stored);
      assertTrue(missing.isEmpty(), missing.size() + " acknowledged but lost: " + missing);

      SimpleResolver dns = new SimpleResolver("127.0.0.1");
      dns.setPort(restarted.dnsPort);
      dns.setTimeout(Duration.ofSeconds(5));
      Map<String, String> unanswered = new TreeMap<>();
      acknowledged.forEach(
          (key, address) -> {
            String[] parts = key.split("/");
            String host = parts[1] + "." + parts[0] + ".crash.test.";
            List<String> answer = addresses(dns, host, Type.A);
            if (!answer.equals(List.of(address))) {
              unanswered.put(host, answer.toString());
            }
          });
      assertTrue(unanswered.isEmpty(), "not answered in DNS: " + unanswered);
      for (String service : serviceNames) {
        assertTrue(
            !addresses(dns, service + ".crash.test.", Type.SRV).isEmpty(),
            service + " has SRV answers");
      }
    }
  }

  @Test
  void aRestartedServerAnswersTheApiAndDnsAsBefore() throws Exception {
    String store = "--store-file=" + StoreFiles.newDirectory().resolve("cloudmap.db");
    String seed = "--seed=" + CloudMapDnsProcess.exampleSeed();
    Map<String, JsonNode> before;
    Map<String, List<String>> dnsBefore;
    try (CloudMapDnsProcess server = CloudMapDnsProcess.start(store, seed)) {
      CloudMapHttp api = new CloudMapHttp(server.httpPort);
      changeEveryKindOfResource(api);
      before = apiAnswers(api);
      dnsBefore = dnsAnswers(server.dnsPort, before);
    }
    try (CloudMapDnsProcess server = CloudMapDnsProcess.start(store, seed)) {
      CloudMapHttp api = new CloudMapHttp(server.httpPort);
      Map<String, JsonNode> after = apiAnswers(api);
      for (String call : before.keySet()) {
        assertEquals(before.get(call), after.get(call), call);
      }
      assertEquals(before.keySet(), after.keySet());
      assertEquals(dnsBefore, dnsAnswers(server.dnsPort, after));
      assertTrue(
          server.output().contains("not loaded: the store already holds a registry"),
          "the seed is not applied over a stored registry");
    }
  }

  /** Beyond the seed: tags, service attributes, a custom status, an update, a deregistration. */
  private static void changeEveryKindOfResource(CloudMapHttp api) throws Exception {
    JsonNode namespaces = api.call("ListNamespaces", "{}").get("Namespaces");
    String namespaceArn = namespaces.get(0).get("Arn").asText();
    api.call(
        "TagResource",
        Map.of("ResourceARN", namespaceArn, "Tags", List.of(Map.of("Key", "team", "Value", "a"))));
    String namespaceId = api.createPrivateDnsNamespace("second.local");
    String serviceId = api.createDnsService(namespaceId, "api", 60, "A", "SRV").get("Id").asText();
    api.call(
        "UpdateServiceAttributes",
        Map.of("ServiceId", serviceId, "Attributes", Map.of("stage", "prod", "owner", "ops")));
    for (String instance : List.of("api-1", "api-2", "api-3")) {
      api.registerInstance(
          serviceId,
          instance,
          "register-" + instance,
          Map.of(
              "AWS_INSTANCE_IPV4", "10.9.0." + instance.charAt(4),
              "AWS_INSTANCE_PORT", "8080",
              "color", "blue"));
    }
    api.call("DeregisterInstance", Map.of("ServiceId", serviceId, "InstanceId", "api-2"));
    api.call(
        "UpdateService",
        Map.of(
            "Id",
            serviceId,
            "Service",
            Map.of(
                "Description",
                "updated",
                "DnsConfig",
                Map.of(
                    "DnsRecords",
                    List.of(Map.of("Type", "A", "TTL", 30), Map.of("Type", "SRV", "TTL", 30))))));
    for (JsonNode service : api.call("ListServices", "{}").get("Services")) {
      if (service.get("Name").asText().equals("frontend")) {
        api.call(
            "UpdateInstanceCustomHealthStatus",
            Map.of(
                "ServiceId",
                service.get("Id").asText(),
                "InstanceId",
                "frontend-1",
                "Status",
                "UNHEALTHY"));
      }
    }
  }

  /** Every read of the API over everything in the registry, by call. */
  private static Map<String, JsonNode> apiAnswers(CloudMapHttp api) throws Exception {
    Map<String, JsonNode> answers = new LinkedHashMap<>();
    JsonNode namespaces = api.call("ListNamespaces", "{}");
    answers.put("ListNamespaces", namespaces);
    for (JsonNode namespace : namespaces.get("Namespaces")) {
      String id = namespace.get("Id").asText();
      answers.put("GetNamespace " + id, api.call("GetNamespace", Map.of("Id", id)));
      answers.put(
          "ListTagsForResource " + id,
          api.call("ListTagsForResource", Map.of("ResourceARN", namespace.get("Arn").asText())));
    }
    JsonNode services = api.call("ListServices", "{}");
    answers.put("ListServices", services);
    for (JsonNode service : services.get("Services")) {
      String id = service.get("Id").asText();
      JsonNode described = api.call("GetService", Map.of("Id", id));
      answers.put("GetService " + id, described);
      answers.put(
          "GetServiceAttributes " + id, api.call("GetServiceAttributes", Map.of("ServiceId", id)));
      answers.put(
          "GetInstancesHealthStatus " + id,
          api.call("GetInstancesHealthStatus", Map.of("ServiceId", id)));
      answers.put("ListInstances " + id, api.call("ListInstances", Map.of("ServiceId", id)));
      for (JsonNode instance : listInstances(api, id)) {
        String instanceId = instance.get("Id").asText();
        answers.put(
            "GetInstance " + id + " " + instanceId,
            api.call("GetInstance", Map.of("ServiceId", id, "InstanceId", instanceId)));
      }
      String namespaceName =
          api.call("GetNamespace", Map.of("Id", described.at("/Service/NamespaceId").asText()))
              .at("/Namespace/Name")
              .asText();
      answers.put(
          "DiscoverInstances " + id,
          api.call(
              "DiscoverInstances",
              Map.of(
                  "NamespaceName",
                  namespaceName,
                  "ServiceName",
                  service.get("Name").asText(),
                  "HealthStatus",
                  "ALL")));
    }
    JsonNode operations = api.call("ListOperations", Map.of("MaxResults", 100));
    answers.put("ListOperations", operations);
    for (JsonNode operation : operations.get("Operations")) {
      String id = operation.get("Id").asText();
      answers.put("GetOperation " + id, api.call("GetOperation", Map.of("OperationId", id)));
    }
    return answers;
  }

  /** A and SRV answers for every service of a DNS namespace, as sorted lists. */
  private static Map<String, List<String>> dnsAnswers(int port, Map<String, JsonNode> api)
      throws Exception {
    SimpleResolver dns = new SimpleResolver("127.0.0.1");
    dns.setPort(port);
    dns.setTimeout(Duration.ofSeconds(5));
    Map<String, String> namespaceNames = new LinkedHashMap<>();
    for (JsonNode namespace : api.get("ListNamespaces").get("Namespaces")) {
      if (!namespace.get("Type").asText().equals("HTTP")) {
        namespaceNames.put(namespace.get("Id").asText(), namespace.get("Name").asText());
      }
    }
    Map<String, List<String>> answers = new TreeMap<>();
    for (JsonNode service : api.get("ListServices").get("Services")) {
      String namespace =
          namespaceNames.get(
              api.get("GetService " + service.get("Id").asText())
                  .at("/Service/NamespaceId")
                  .asText());
      if (namespace != null) {
        String name = service.get("Name").asText() + "." + namespace + ".";
        answers.put(name + " A", addresses(dns, name, Type.A));
        answers.put(name + " SRV", addresses(dns, name, Type.SRV));
      }
    }
    assertTrue(answers.values().stream().anyMatch(list -> !list.isEmpty()), "DNS answers nothing");
    return answers;
  }

  private static List<String> addresses(SimpleResolver dns, String name, int type) {
    try {
      Lookup lookup = new Lookup(Name.fromString(name), type);
      lookup.setResolver(dns);
      lookup.setCache(null);
      Record[] records = lookup.run();
      List<String> values = new ArrayList<>();
      if (records != null) {
        for (Record record : records) {
          values.add(
              record instanceof ARecord a
                  ? a.getAddress().getHostAddress()
                  : record instanceof SRVRecord srv
                      ? srv.getPort() + " " + srv.getTarget()
                      : record.rdataToString());
        }
      }
      values.sort(null);
      return values;
    } catch (IOException e) {
      throw new AssertionError(name + ": " + e.getMessage(), e);
    }
  }

  private static List<JsonNode> listInstances(CloudMapHttp api, String serviceId) throws Exception {
    List<JsonNode> instances = new ArrayList<>();
    String next = null;
    do {
      Map<String, Object> request = new LinkedHashMap<>();
      request.put("ServiceId", serviceId);
      request.put("MaxResults", 100);
      if (next != null) {
        request.put("NextToken", next);
      }
      JsonNode page = api.call("ListInstances", request);
      page.get("Instances").forEach(instances::add);
      next = page.hasNonNull("NextToken") ? page.get("NextToken").asText() : null;
    } while (next != null);
    return instances;
  }
}
