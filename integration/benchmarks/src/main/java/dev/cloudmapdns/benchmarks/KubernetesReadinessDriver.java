package dev.cloudmapdns.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudmapdns.integration.CloudMapHttp;
import dev.cloudmapdns.integration.Kubelet;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Benchmark (8): the Kubernetes watcher on a real kube-apiserver. (a) A pod's readiness flips, by a
 * {@code pods/status} patch; how long until the embedded DNS listener answers accordingly (its IP
 * appears, or disappears). (b) 1,000 pods turn ready at once; how long until every one is answered.
 * Pod IPs are data only, never contacted.
 *
 * <pre>
 * ETCD_CLIENT_PORT=27391 ETCD_PEER_PORT=27392 APISERVER_PORT=27393 \
 *   ../shared/kubernetes/apiserver-up.sh start /tmp/bench-kube     # prints the kubeconfig
 * java -cp integration/benchmarks/target/cloudmap-dns-benchmarks.jar \
 *   dev.cloudmapdns.benchmarks.KubernetesReadinessDriver /tmp/bench-kube/kubeconfig \
 *   server/target/cloudmap-dns.jar [flips=100] [pods=1000]
 * </pre>
 */
public final class KubernetesReadinessDriver {
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  private KubernetesReadinessDriver() {}

  public static void main(String[] args) throws Exception {
    Path kubeconfig = Path.of(args[0]);
    Path jar = Path.of(args.length > 1 ? args[1] : "server/target/cloudmap-dns.jar");
    int flips = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int pods = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
    try (KubernetesClient kube =
            new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(kubeconfig.toFile()))
                .build();
        ServerProcess server =
            ServerProcess.start(
                jar,
                "--kubernetes",
                "--cloudmap.kubernetes.kubeconfig=" + kubeconfig,
                "--store=memory")) {
      CloudMapHttp api = new CloudMapHttp(server.httpPort);
      String namespaceId = api.createPrivateDnsNamespace("bench.k8s");
      String flipArn = api.createDnsService(namespaceId, "flip", 1, "A", "SRV").get("Arn").asText();
      String burstArn =
          api.createDnsService(namespaceId, "burst", 1, "A", "SRV").get("Arn").asText();
      SimpleResolver dns = new SimpleResolver("127.0.0.1");
      dns.setPort(server.dnsPort);
      dns.setTimeout(Duration.ofSeconds(2));

      // (a) readiness change -> DNS answer
      kube.resource(pod("flip-0", flipArn)).create();
      Kubelet.report(kube, "flip-0", "10.200.0.1", false);
      long[] toReady = new long[flips];
      long[] toGone = new long[flips];
      for (int i = 0; i < flips; i++) {
        long started = System.nanoTime();
        Kubelet.report(kube, "flip-0", "10.200.0.1", true);
        await(() -> a(dns, "flip.bench.k8s").contains("10.200.0.1"));
        toReady[i] = System.nanoTime() - started;
        started = System.nanoTime();
        Kubelet.report(kube, "flip-0", "10.200.0.1", false);
        await(() -> a(dns, "flip.bench.k8s").isEmpty());
        toGone[i] = System.nanoTime() - started;
      }
      System.out.printf(
          "(a) readiness -> DNS, %d flips each way (patch sent -> answer changed):%n"
              + "    ready:     p50 %.1f ms  p99 %.1f ms  max %.1f ms%n"
              + "    not ready: p50 %.1f ms  p99 %.1f ms  max %.1f ms%n",
          flips,
          ms(percentile(toReady, 50)),
          ms(percentile(toReady, 99)),
          ms(percentile(toReady, 100)),
          ms(percentile(toGone, 50)),
          ms(percentile(toGone, 99)),
          ms(percentile(toGone, 100)));

      // (b) 1,000 pods turn ready at once
      ExecutorService patchers = Executors.newFixedThreadPool(16);
      List<Future<?>> created = new ArrayList<>();
      for (int i = 0; i < pods; i++) {
        int n = i;
        created.add(
            patchers.submit(
                () -> {
                  kube.resource(pod("burst-" + n, burstArn)).create();
                  Kubelet.report(kube, "burst-" + n, ip(n), false);
                }));
      }
      for (Future<?> future : created) {
        future.get();
      }
      String burstId = burstArn.substring(burstArn.lastIndexOf('/') + 1);
      await(() -> count(api, burstId, null) == pods);
      long started = System.nanoTime();
      List<Future<?>> patched = new ArrayList<>();
      for (int i = 0; i < pods; i++) {
        int n = i;
        patched.add(patchers.submit(() -> Kubelet.report(kube, "burst-" + n, ip(n), true)));
      }
      for (Future<?> future : patched) {
        future.get();
      }
      long allPatched = System.nanoTime() - started;
      await(() -> count(api, burstId, "HEALTHY") == pods);
      long allHealthy = System.nanoTime() - started;
      for (int i = 0; i < pods; i++) {
        int n = i;
        await(() -> a(dns, "task-burst-" + n + ".burst.bench.k8s").equals(List.of(ip(n))));
      }
      long allAnswered = System.nanoTime() - started;
      patchers.shutdown();
      System.out.printf(
          "(b) %d pods turn ready at once (16 concurrent status patches):%n"
              + "    all patches acknowledged by the API server: %.0f ms%n"
              + "    all HEALTHY in the registry:                 %.0f ms%n"
              + "    every instance name answered by DNS (sweep): %.0f ms%n",
          pods, ms(allPatched), ms(allHealthy), ms(allAnswered));
      String log = server.output();
      long passes = log.lines().filter(line -> line.contains("kubernetes reconcile:")).count();
      System.out.println("    reconcile passes with changes during the run: " + passes);
    }
  }

  private static String ip(int n) {
    return "10.201." + (n / 250) + "." + (n % 250 + 1);
  }

  private static Pod pod(String name, String registryArn) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .addToLabels("kecs.dev/task-id", "task-" + name)
        .addToAnnotations(
            "kecs.dev/service-registries",
            "[{\"registryArn\":\"" + registryArn + "\",\"containerPort\":8080}]")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("app")
        .withPorts(new ContainerPortBuilder().withContainerPort(8080).build())
        .endContainer()
        .endSpec()
        .build();
  }

  private static List<String> a(SimpleResolver dns, String name) throws Exception {
    Message reply =
        dns.send(
            Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN)));
    List<String> ips = new ArrayList<>();
    if (reply.getRcode() == Rcode.NOERROR) {
      for (Record record : reply.getSection(Section.ANSWER)) {
        if (record instanceof ARecord a) {
          ips.add(a.getAddress().getHostAddress());
        }
      }
    }
    return ips;
  }

  private static int count(CloudMapHttp api, String serviceId, String status) throws Exception {
    // Paged by 100; follow NextToken.
    int count = 0;
    String token = null;
    do {
      Map<String, Object> body =
          token == null
              ? Map.of("ServiceId", serviceId, "MaxResults", 100)
              : Map.of("ServiceId", serviceId, "MaxResults", 100, "NextToken", token);
      JsonNode page = api.call("GetInstancesHealthStatus", body);
      for (var entry : page.get("Status").properties()) {
        if (status == null || status.equals(entry.getValue().asText())) {
          count++;
        }
      }
      token = page.hasNonNull("NextToken") ? page.get("NextToken").asText() : null;
    } while (token != null);
    return count;
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void await(Condition condition) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not within " + DEADLINE);
      }
      Thread.sleep(1);
    }
  }

  private static long percentile(long[] samples, int p) {
    long[] sorted = samples.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
