package dev.cloudmapdns.server.kubernetes;

import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryListener;
import dev.cloudmapdns.server.registry.RegistryState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry in step with the pods: Fabric8 shared informers on pods (list, then watch;
 * relist after a lost watch or 410 Gone; resync every {@link WatcherSettings#resync}) whose
 * handlers only ask for a pass, and one thread that runs passes. A pass plans desired against
 * actual over every pod ({@link ReconcilePlan}), runs the plan ({@link PlanRunner}) and tells about
 * skipped pods ({@link PodWarnings}). Requests that arrive during a pass make one more pass, so a
 * burst of pod changes becomes a few passes, not one per change.
 *
 * <p>Start-up lists the pods and runs the first pass before returning, so instances of pods that
 * vanished while the server was down are gone, and missing ones are there, before anything serves.
 * A watch lost later is retried by Fabric8 with backoff; the registry keeps serving the last known
 * pods, and {@link #status()} and the log say so.
 */
public final class PodWatcher implements RegistryListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodWatcher.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration LAST_RETRY = Duration.ofMinutes(1);

  private final Registry registry;
  private final WatcherSettings settings;
  private final Clock clock;
  private final PodMapper mapper;
  private final PlanRunner runner;
  private final PodWarnings warnings;
  private final KubernetesClient client;

  /** The running informers; replaced as a whole by a relist after a lost watch. */
  private volatile List<SharedIndexInformer<Pod>> informers = List.of();

  private final ScheduledExecutorService reconciler;
  private final ExecutorService eventSender;
  private final AtomicBoolean passRequested = new AtomicBoolean();

  private volatile WatchStatus status;
  private volatile String lastError;
  private volatile Set<String> services = Set.of();
  private Duration retry = FIRST_RETRY; // reconcile thread only

  private PodWatcher(
      KubernetesClient client, Registry registry, WatcherSettings settings, Clock clock) {
    this.client = client;
    this.registry = registry;
    this.settings = settings;
    this.clock = clock;
    this.mapper = new PodMapper(settings.region(), new NodeZones(client, clock));
    this.runner = new PlanRunner(registry);
    this.reconciler = Executors.newSingleThreadScheduledExecutor(daemon("kubernetes-reconcile"));
    this.eventSender = Executors.newSingleThreadExecutor(daemon("kubernetes-events"));
    this.warnings =
        new PodWarnings(
            client, eventSender, clock, settings.warningRepeat(), settings.eventsPerMinute());
    this.status = new WatchStatus(false, clock.instant(), null, 0, 0, 0);
  }

  /**
   * Lists the pods, reconciles the registry with them, then follows them.
   *
   * @throws KubernetesUnavailableException when the pods cannot be listed within the start timeout
   */
  public static PodWatcher start(
      KubernetesClient client, Registry registry, WatcherSettings settings, Clock clock) {
    PodWatcher watcher = new PodWatcher(client, registry, settings, clock);
    try {
      watcher.informers = watcher.startInformers();
      watcher.reconciler.submit(watcher::pass).get();
    } catch (KubernetesUnavailableException e) {
      watcher.close();
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      watcher.close();
      throw new KubernetesUnavailableException("interrupted while listing pods", e);
    } catch (ExecutionException e) {
      watcher.close();
      throw new IllegalStateException("the first reconcile failed", e.getCause());
    }
    watcher.status =
        new WatchStatus(
            true,
            clock.instant(),
            null,
            watcher.status.pods(),
            watcher.status.instances(),
            watcher.status.skipped());
    registry.addListener(watcher);
    watcher.reconciler.scheduleWithFixedDelay(watcher::checkWatches, 1, 1, TimeUnit.SECONDS);
    LOG.info(
        "kubernetes watcher started: {} on {}, {} pods, {} instances wanted",
        settings.namespaces().isEmpty() ? "all namespaces" : "namespaces " + settings.namespaces(),
        client.getMasterUrl(),
        watcher.status.pods(),
        watcher.status.instances());
    return watcher;
  }

  /** New informers, started and synced: their stores hold every pod. */
  private List<SharedIndexInformer<Pod>> startInformers() {
    List<SharedIndexInformer<Pod>> informers = new ArrayList<>();
    long resync = settings.resync().toMillis();
    if (settings.namespaces().isEmpty()) {
      informers.add(client.pods().inAnyNamespace().runnableInformer(resync));
    } else {
      for (String namespace : settings.namespaces()) {
        informers.add(client.pods().inNamespace(namespace).runnableInformer(resync));
      }
    }
    ResourceEventHandler<Pod> handler = new PassOnEveryChange();
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (SharedIndexInformer<Pod> informer : informers) {
      informer.addEventHandler(handler);
      informer.exceptionHandler(
          (isStarted, failure) -> {
            lastError = oneLine(failure);
            // Before the first list, fail start-up; after it, keep retrying with backoff.
            return isStarted;
          });
      started.add(informer.start().toCompletableFuture());
    }
    try {
      awaitAll(started);
    } catch (KubernetesUnavailableException e) {
      informers.forEach(SharedIndexInformer::stop);
      throw e;
    }
    return List.copyOf(informers);
  }

  private void awaitAll(List<CompletableFuture<Void>> started) {
    try {
      CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
          .get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw unavailable(client, oneLine(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      throw unavailable(
          client,
          "no answer within "
              + settings.startTimeout().toSeconds()
              + " s"
              + (lastError == null ? "" : " (" + lastError + ")"),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(client, "interrupted", e);
    }
  }

  private static KubernetesUnavailableException unavailable(
      KubernetesClient client, String why, Throwable cause) {
    return new KubernetesUnavailableException(
        "--kubernetes: cannot list pods from the Kubernetes API at "
            + client.getMasterUrl()
            + ": "
            + why
            + " (configuration comes from the in-cluster service account, else KUBECONFIG or"
            + " ~/.kube/config; see docs/kubernetes.md)",
        cause);
  }

  /** Where the watcher stands now. */
  public WatchStatus status() {
    return status;
  }

  /** A new service (or namespace) may be the one a skipped pod names. Quick: runs under a lock. */
  @Override
  public void onChange(RegistryState state) {
    Set<String> now = state.services().keySet();
    if (!now.equals(services)) {
      services = Set.copyOf(now);
      requestPass();
    }
  }

  private void requestPass() {
    if (passRequested.compareAndSet(false, true)) {
      try {
        reconciler.execute(this::pass);
      } catch (RejectedExecutionException e) {
        passRequested.set(false); // closing
      }
    }
  }

  /** One reconcile over every pod. Runs on the reconcile thread only. */
  private void pass() {
    passRequested.set(false);
    long started = System.nanoTime();
    try {
      Map<String, Pod> pods = new HashMap<>();
      for (SharedIndexInformer<Pod> informer : informers) {
        for (Pod pod : informer.getStore().list()) {
          pods.put(PodMapper.podName(pod), pod);
        }
      }
      ReconcilePlan plan =
          ReconcilePlan.of(pods.values(), registry.state(), mapper, settings::watches);
      Map<String, String> skipped = new HashMap<>(plan.skipped());
      runner.run(plan).forEach(skipped::putIfAbsent);
      warnings.report(skipped, pods);
      WatchStatus before = status;
      status =
          new WatchStatus(
              before.watching(),
              before.since(),
              lastError,
              pods.size(),
              plan.wanted(),
              skipped.size());
      if (!plan.commands().isEmpty()) {
        LOG.info(
            "kubernetes reconcile: {} changes for {} pods ({} instances wanted, {} pods skipped)"
                + " in {} ms",
            plan.commands().size(),
            pods.size(),
            plan.wanted(),
            skipped.size(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      }
      retry = FIRST_RETRY;
    } catch (RuntimeException e) {
      // The store failed, or a bug: nothing is lost (the pods are still known), so try again
      // later, ever more slowly, rather than in a loop.
      LOG.error("kubernetes reconcile failed; retrying in {} s", retry.toSeconds(), e);
      reconciler.schedule(this::requestPass, retry.toMillis(), TimeUnit.MILLISECONDS);
      retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
    }
  }

  /** Notices a lost or regained watch, for the log and {@code /health}. */
  private void checkWatches() {
    boolean watching = true;
    for (SharedIndexInformer<Pod> informer : informers) {
      watching &= informer.isWatching();
    }
    WatchStatus before = status;
    if (watching != before.watching()) {
      Instant now = clock.instant();
      if (watching) {
        LOG.info("kubernetes watch on pods is back; listing every pod again and reconciling");
        relist();
      } else {
        LOG.warn(
            "kubernetes watch on pods lost ({}); DNS keeps serving the last known pods, retrying"
                + " with backoff",
            lastError == null ? "no reason given" : lastError);
      }
      status =
          new WatchStatus(
              watching, now, lastError, before.pods(), before.instances(), before.skipped());
    }
  }

  /**
   * Replaces the informers by new ones, which list every pod again, then reconciles. A watch that
   * resumed after an outage may have missed deletions the API server no longer remembers (etcd
   * compacted or restored); a fresh list cannot. Runs on the reconcile thread.
   */
  private void relist() {
    List<SharedIndexInformer<Pod>> old = informers;
    try {
      informers = startInformers();
    } catch (KubernetesUnavailableException e) {
      LOG.warn("kubernetes relist failed, keeping the pods known so far: {}", e.getMessage());
      return;
    }
    old.forEach(SharedIndexInformer::stop);
    requestPass();
  }

  @Override
  public void close() {
    for (SharedIndexInformer<Pod> informer : informers) {
      informer.stop();
    }
    reconciler.shutdownNow();
    eventSender.shutdown();
  }

  private static String oneLine(Throwable failure) {
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      message = failure.getClass().getSimpleName();
    }
    return message.replaceAll("\\s+", " ").trim();
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Every change, relist and resync asks for a pass; nothing else happens on Fabric8's thread. */
  private final class PassOnEveryChange implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      requestPass();
    }

    @Override
    public void onUpdate(Pod before, Pod after) {
      requestPass();
    }

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
      requestPass();
    }

    @Override
    public void onList(String resourceVersion, boolean initial) {
      requestPass();
    }
  }
}
