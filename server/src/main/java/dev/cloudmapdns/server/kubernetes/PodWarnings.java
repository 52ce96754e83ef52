package dev.cloudmapdns.server.kubernetes;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells about skipped pods: one WARN line naming the pod and the reason, and a Warning Event on the
 * pod ({@code kubectl describe pod} shows it). Each pod and reason is told once, and again only
 * after {@code repeatAfter} if it is still skipped; at most {@code eventsPerMinute} Events are
 * created in all, so a bad Deployment of 1,000 pods cannot flood the API server. Events are sent
 * off the reconcile thread; one that fails is logged and dropped.
 */
final class PodWarnings {
  private static final Logger LOG = LoggerFactory.getLogger(PodWarnings.class);
  static final String REASON = "CloudMapRegistrationSkipped";

  private final KubernetesClient client;
  private final Executor sender;
  private final Clock clock;
  private final Duration repeatAfter;
  private final int eventsPerMinute;

  /** When each pod (by uid) was last told, and why. Touched by the reconcile thread only. */
  private final Map<String, Told> told = new HashMap<>();

  private Instant minuteStarted = Instant.EPOCH;
  private int eventsThisMinute;

  private record Told(String reason, Instant at) {}

  PodWarnings(
      KubernetesClient client,
      Executor sender,
      Clock clock,
      Duration repeatAfter,
      int eventsPerMinute) {
    this.client = client;
    this.sender = sender;
    this.clock = clock;
    this.repeatAfter = repeatAfter;
    this.eventsPerMinute = eventsPerMinute;
  }

  /**
   * Tells about the pods skipped in one pass and forgets the pods that are no longer skipped.
   *
   * @param skipped reasons by pod {@code namespace/name}
   * @param pods the pods, by {@code namespace/name}
   */
  void report(Map<String, String> skipped, Map<String, Pod> pods) {
    Instant now = clock.instant();
    Set<String> current = new HashSet<>();
    for (Map.Entry<String, String> entry : skipped.entrySet()) {
      Pod pod = pods.get(entry.getKey());
      if (pod == null) {
        continue;
      }
      String uid = uid(pod);
      current.add(uid);
      Told last = told.get(uid);
      if (last != null
          && last.reason.equals(entry.getValue())
          && now.isBefore(last.at.plus(repeatAfter))) {
        continue;
      }
      told.put(uid, new Told(entry.getValue(), now));
      LOG.warn("kubernetes pod={} skipped: {}", entry.getKey(), entry.getValue());
      if (allowEvent(now)) {
        Event event = event(pod, entry.getValue(), now);
        sender.execute(() -> send(event, entry.getKey()));
      }
    }
    told.keySet().retainAll(current);
  }

  private boolean allowEvent(Instant now) {
    if (!now.isBefore(minuteStarted.plus(Duration.ofMinutes(1)))) {
      minuteStarted = now;
      eventsThisMinute = 0;
    }
    if (eventsThisMinute >= eventsPerMinute) {
      return false;
    }
    eventsThisMinute++;
    return true;
  }

  private void send(Event event, String pod) {
    try {
      client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn("kubernetes pod={} event not created: {}", pod, e.getMessage());
    }
  }

  private static String uid(Pod pod) {
    String uid = pod.getMetadata().getUid();
    return uid != null ? uid : PodMapper.podName(pod);
  }

  static Event event(Pod pod, String reason, Instant now) {
    String time = now.toString();
    return new EventBuilder()
        .withNewMetadata()
        .withGenerateName(pod.getMetadata().getName() + ".")
        .withNamespace(pod.getMetadata().getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion("v1")
        .withKind("Pod")
        .withNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .withUid(pod.getMetadata().getUid())
        .withResourceVersion(pod.getMetadata().getResourceVersion())
        .endInvolvedObject()
        .withType("Warning")
        .withReason(REASON)
        .withMessage(reason)
        .withNewSource()
        .withComponent("cloudmap-dns")
        .endSource()
        .withFirstTimestamp(time)
        .withLastTimestamp(time)
        .withCount(1)
        .build();
  }
}
