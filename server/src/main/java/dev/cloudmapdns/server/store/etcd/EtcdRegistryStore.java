package dev.cloudmapdns.server.store.etcd;

import dev.cloudmapdns.server.registry.DeltaSet;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.RegistryStore;
import dev.cloudmapdns.server.registry.RegistryStoreConflict;
import dev.cloudmapdns.server.registry.RegistryStoreException;
import dev.cloudmapdns.server.registry.RegistryStoreUnavailableException;
import dev.cloudmapdns.server.registry.StoreFeed;
import dev.cloudmapdns.server.registry.StoreStatus;
import dev.cloudmapdns.server.store.etcd.EtcdStateReader.StoredKey;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry kept in etcd v3, shared by every replica that names the same endpoints and prefix.
 * {@link #load} reads every key under the prefix at one revision; {@link #commit} writes a batch as
 * one transaction that etcd applies only if no other writer has changed the registry since this
 * store last read or wrote it (the mod revision of {@code meta/version}) and no name or request id
 * it claims exists yet; it returns once etcd has committed it, so an acknowledged write is on a
 * quorum of members. A refused or failed transaction changes nothing.
 *
 * <p>{@link #follow} watches the prefix from the revision {@link #load} read, on a thread of its
 * own, and hands the registry every transaction another writer committed (its own come back too and
 * are skipped), as the deltas it stands for; when etcd has compacted the revisions the watch needs,
 * it reads the whole prefix again and hands that over. The commit guard only moves when the
 * registry says it has applied what was handed over ({@link #appliedThrough}), so a batch decided
 * against a state without another writer's change is refused as a lost race ({@link
 * RegistryStoreConflict}) and decided again.
 */
public final class EtcdRegistryStore implements RegistryStore {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdRegistryStore.class);

  /** Keys read per range request at load (etcd answers at most a few MiB at once). */
  private static final int PAGE = 2_000;

  private final EtcdSettings settings;
  private final EtcdKeys keys;
  private final Client client;
  private final KV kv;
  private final String writer = UUID.randomUUID().toString();
  private EtcdIndex index = new EtcdIndex();

  /** The mod revision of {@code meta/version} in the registry's state: the commit guard. */
  private volatile long versionRevision; // written under this; read anywhere

  private boolean closed;

  /** The etcd revision the registry's state was read at or has followed to. */
  private long followedRevision; // guarded by this

  /** Revisions of this store's own acknowledged transactions that the watch has not shown yet. */
  private final Set<Long> ownRevisions = new HashSet<>(); // guarded by this

  /** Feed position → the mod revision of {@code meta/version} once the registry applied it. */
  private final TreeMap<Long, Long> guardAt = new TreeMap<>(); // guarded by this

  /**
   * The position of a reload the registry has not applied yet, or 0: until it has, this store's own
   * commits are shown to it by the watch like another writer's, as the reloaded state was read
   * before them.
   */
  private long reloadPending; // guarded by this

  /** How often a following store asks etcd whether it is reachable and this replica current. */
  private static final long PROBE_MILLIS = 1_000;

  private volatile boolean reachable = true;
  private volatile long unreachableSince; // System.nanoTime() of the first failed probe, or 0
  private volatile Instant upToDateAt = Instant.now();
  private volatile String lastError;
  private final AtomicBoolean probing = new AtomicBoolean();

  private StoreFeed feed; // guarded by this
  private ScheduledExecutorService follower; // guarded by this
  private Watch.Watcher watcher; // guarded by this
  private long watchGeneration; // guarded by this; a closed watch's late callbacks are ignored

  private EtcdRegistryStore(EtcdSettings settings, Client client) {
    this.settings = settings;
    this.keys = new EtcdKeys(settings.prefix());
    this.client = client;
    this.kv = client.getKVClient();
  }

  /**
   * A client of the cluster; no request is sent until {@link #load}.
   *
   * @throws RegistryStoreException when the TLS files cannot be read
   */
  public static EtcdRegistryStore connect(EtcdSettings settings) {
    ClientBuilder builder =
        Client.builder()
            .endpoints(settings.endpoints().toArray(URI[]::new))
            .connectTimeout(settings.timeout());
    if (settings.user() != null) {
      builder.user(bytes(settings.user())).password(bytes(settings.password()));
    }
    if (settings.tls()) {
      try {
        SslContextBuilder tls = SslContextBuilder.forClient();
        if (settings.trustedCa() != null) {
          tls.trustManager(settings.trustedCa().toFile());
        }
        if (settings.clientCertificate() != null) {
          tls.keyManager(settings.clientCertificate().toFile(), settings.clientKey().toFile());
        }
        builder.sslContext(tls.build());
      } catch (SSLException | IllegalArgumentException e) {
        throw new RegistryStoreException("cannot use the etcd TLS files: " + e.getMessage(), e);
      }
    }
    return new EtcdRegistryStore(settings, builder.build());
  }

  @Override
  public synchronized RegistryState load() {
    ensureOpen();
    EtcdStateReader.Loaded loaded = readAll();
    index = loaded.index();
    versionRevision = loaded.versionRevision();
    followedRevision = loaded.revision();
    return loaded.state();
  }

  /** Every key under the prefix, read at one revision. */
  private EtcdStateReader.Loaded readAll() {
    ByteSequence end = bytes(keys.end());
    List<StoredKey> stored = new ArrayList<>();
    long revision = 0;
    ByteSequence from = bytes(keys.prefix());
    while (true) {
      GetOption.Builder option = GetOption.builder().withRange(end).withLimit(PAGE);
      if (revision > 0) {
        option.withRevision(revision); // every page at the first page's revision: one snapshot
      }
      GetResponse page = await(kv.get(from, option.build()), "read the registry");
      if (revision == 0) {
        revision = page.getHeader().getRevision();
      }
      List<KeyValue> found = page.getKvs();
      for (KeyValue value : found) {
        stored.add(
            new StoredKey(
                value.getKey().toString(StandardCharsets.UTF_8),
                value.getValue().getBytes(),
                value.getCreateRevision(),
                value.getModRevision()));
      }
      if (!page.isMore() || found.isEmpty()) {
        break;
      }
      from = bytes(found.get(found.size() - 1).getKey().toString(StandardCharsets.UTF_8) + "\0");
    }
    return EtcdStateReader.read(keys, stored, revision);
  }

  @Override
  public synchronized void commit(List<DeltaSet> batch) {
    ensureOpen();
    if (batch.isEmpty()) {
      return;
    }
    long since = unreachableSince;
    if (!reachable && since != 0) { // the probe waited for etcd already: refuse at once
      throw new RegistryStoreUnavailableException(
          "etcd "
              + endpoints()
              + " has been unreachable for "
              + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since)
              + " s ("
              + lastError
              + "): the write was refused and nothing of it stored; DNS keeps answering from"
              + " the last state");
    }
    EtcdTransaction transaction = EtcdTransaction.plan(keys, index, batch, writer);
    int operations = Math.max(transaction.writes().size(), transaction.mustBeAbsent().size() + 1);
    if (operations > settings.maxTxnOps()) {
      throw tooLarge(operations);
    }
    List<Cmp> guards = new ArrayList<>();
    guards.add(
        new Cmp(bytes(keys.version()), Cmp.Op.EQUAL, CmpTarget.modRevision(versionRevision)));
    for (String key : transaction.mustBeAbsent()) {
      guards.add(new Cmp(bytes(key), Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
    }
    List<Op> writes = new ArrayList<>(transaction.writes().size());
    for (Map.Entry<String, byte[]> write : transaction.writes().entrySet()) {
      ByteSequence key = bytes(write.getKey());
      writes.add(
          write.getValue() == null
              ? Op.delete(key, DeleteOption.DEFAULT)
              : Op.put(key, ByteSequence.from(write.getValue()), PutOption.DEFAULT));
    }
    List<Op> onRefusal = new ArrayList<>();
    onRefusal.add(Op.get(bytes(keys.version()), GetOption.DEFAULT));
    TxnResponse response;
    try {
      response =
          await(
              kv.txn()
                  .If(guards.toArray(Cmp[]::new))
                  .Then(writes.toArray(Op[]::new))
                  .Else(onRefusal.toArray(Op[]::new))
                  .commit(),
              "commit " + batch.size() + " change sets (" + writes.size() + " keys)");
    } catch (RegistryStoreException failed) {
      if (String.valueOf(failed.getMessage()).contains("too many operations in txn request")) {
        throw tooLarge(operations); // the members allow fewer than cloudmap.store.etcd.max-txn-ops
      }
      // A timeout or a leader change leaves it open whether etcd applied the transaction; the
      // version mark says, as only this store writes its writer id.
      long committedAt = committedRevision(batch.get(batch.size() - 1).version(), failed);
      acknowledged(committedAt, transaction);
      return;
    }
    if (!response.isSucceeded()) {
      throw refusal(response, transaction);
    }
    acknowledged(response.getHeader().getRevision(), transaction);
  }

  private void acknowledged(long revision, EtcdTransaction transaction) { // under this
    versionRevision = revision;
    transaction.applyTo(index);
    if (feed != null && revision > followedRevision && reloadPending == 0) {
      ownRevisions.add(revision); // the watch shows it later: not another writer's
    }
  }

  @Override
  public int fitting(List<DeltaSet> queued) {
    int budget = settings.maxTxnOps() - 1; // the version mark
    int fits = 0;
    for (DeltaSet changes : queued) {
      budget -= EtcdTransaction.weight(changes);
      if (budget < 0 && fits > 0) {
        break;
      }
      fits++;
    }
    return Math.max(1, fits);
  }

  private RegistryStoreException tooLarge(int operations) {
    return new RegistryStoreException(
        "this write needs "
            + operations
            + " operations in one etcd transaction, and the members allow "
            + settings.maxTxnOps()
            + " (cloudmap.store.etcd.max-txn-ops; etcd's --max-txn-ops, default 128): nothing"
            + " was stored. Start every member with a larger --max-txn-ops (and a larger"
            + " --max-request-bytes for large seeds) and set cloudmap.store.etcd.max-txn-ops to"
            + " match, or split the batch");
  }

  /**
   * The revision at which etcd applied this store's transaction for {@code version} after all, or
   * {@code failed} rethrown when it did not (or etcd cannot tell now).
   */
  private long committedRevision(long version, RegistryStoreException failed) {
    List<KeyValue> mark;
    try {
      mark = await(kv.get(bytes(keys.version())), "read the version mark").getKvs();
    } catch (RegistryStoreException unreadable) {
      failed.addSuppressed(unreadable);
      throw failed;
    }
    if (mark.isEmpty() || mark.get(0).getModRevision() == versionRevision) {
      throw failed;
    }
    EtcdCodec.VersionMark stored =
        EtcdCodec.versionMark(keys.version(), mark.get(0).getValue().getBytes());
    if (!writer.equals(stored.writer()) || stored.version() != version) {
      throw failed;
    }
    return mark.get(0).getModRevision();
  }

  /** Why etcd did not apply the transaction: another writer, or a name or request id taken. */
  private RegistryStoreException refusal(TxnResponse response, EtcdTransaction transaction) {
    List<KeyValue> version =
        response.getGetResponses().isEmpty()
            ? List.of()
            : response.getGetResponses().get(0).getKvs();
    long current = version.isEmpty() ? 0 : version.get(0).getModRevision();
    if (current != versionRevision) {
      return new RegistryStoreConflict(
          "another writer changed the registry in etcd (at revision "
              + current
              + ", this replica last saw "
              + versionRevision
              + "); nothing of this batch was stored",
          current);
    }
    return new RegistryStoreException(
        "a name or request id this batch claims already exists in etcd (one of "
            + transaction.mustBeAbsent().stream().collect(Collectors.joining(", "))
            + "); nothing of this batch was stored");
  }

  private <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new RegistryStoreUnavailableException(
          "etcd "
              + endpoints()
              + " did not "
              + what
              + " within "
              + settings.timeout().toMillis()
              + " ms",
          e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new RegistryStoreUnavailableException(
          "etcd " + endpoints() + " could not " + what + ": " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryStoreException("interrupted while waiting for etcd to " + what, e);
    }
  }

  private String endpoints() {
    return settings.endpoints().stream().map(URI::toString).collect(Collectors.joining(","));
  }

  @Override
  public void follow(StoreFeed registry) {
    synchronized (this) {
      ensureOpen();
      if (feed != null) {
        throw new IllegalStateException("already followed");
      }
      feed = registry;
      follower =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "etcd-follower");
                thread.setDaemon(true);
                return thread;
              });
      watchFrom(followedRevision + 1);
      follower.scheduleWithFixedDelay(
          this::probe, PROBE_MILLIS, PROBE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Asks etcd for the registry's version mark: an answer means etcd is reachable, and this replica
   * is up to date when it has applied the mark's revision. Never blocks the follower.
   */
  private void probe() { // on the follower
    if (!probing.compareAndSet(false, true)) {
      return;
    }
    kv.get(bytes(keys.version()))
        .orTimeout(Math.min(settings.timeout().toMillis(), 2_000), TimeUnit.MILLISECONDS)
        .whenComplete(
            (response, error) -> {
              probing.set(false);
              if (error == null) {
                long mark =
                    response.getKvs().isEmpty() ? 0 : response.getKvs().get(0).getModRevision();
                // Never this store's lock here: this runs on the client's thread, which a commit
                // holding the lock waits for.
                if (versionRevision >= mark) {
                  upToDateAt = Instant.now();
                }
                if (!reachable) {
                  LOG.warn("etcd {} is reachable again", endpoints());
                }
                reachable = true;
                unreachableSince = 0;
                lastError = null;
              } else {
                Throwable cause = error.getCause() == null ? error : error.getCause();
                lastError = cause.getMessage() == null ? cause.toString() : cause.getMessage();
                if (reachable) {
                  LOG.warn(
                      "etcd {} is unreachable ({}): DNS answers from the last state, writes are"
                          + " refused",
                      endpoints(),
                      lastError);
                  unreachableSince = System.nanoTime();
                }
                reachable = false;
              }
            });
  }

  @Override
  public Optional<StoreStatus> status() {
    return Optional.of(new StoreStatus(reachable, versionRevision, upToDateAt, lastError));
  }

  /** Starts the watch of the prefix at {@code revision}; its events run on the follower. */
  private void watchFrom(long revision) { // under this
    WatchOption option =
        WatchOption.builder().withRange(bytes(keys.end())).withRevision(revision).build();
    long generation = ++watchGeneration;
    watcher =
        client
            .getWatchClient()
            .watch(
                bytes(keys.prefix()),
                option,
                Watch.listener(
                    response -> follow(generation, () -> followed(response.getEvents())),
                    error -> follow(generation, () -> watchFailed(error)),
                    () -> follow(generation, () -> watchFailed(null))));
  }

  private void follow(long generation, Runnable step) {
    try {
      follower.execute(
          () -> {
            if (current(generation)) {
              step.run();
            }
          });
    } catch (RejectedExecutionException closing) {
      // The store is closing: nothing is followed any more.
    }
  }

  /** Hands the registry every transaction among {@code events} that another writer committed. */
  private void followed(List<WatchEvent> events) { // on the follower
    List<EtcdChangeReader.KeyEvent> transaction = new ArrayList<>();
    long revision = 0;
    for (WatchEvent event : events) {
      long at = event.getKeyValue().getModRevision();
      if (at != revision && !transaction.isEmpty()) {
        handOver(revision, transaction);
        transaction = new ArrayList<>();
      }
      revision = at;
      transaction.add(
          new EtcdChangeReader.KeyEvent(
              event.getKeyValue().getKey().toString(StandardCharsets.UTF_8),
              event.getEventType() == WatchEvent.EventType.DELETE
                  ? null
                  : event.getKeyValue().getValue().getBytes()));
    }
    if (!transaction.isEmpty()) {
      handOver(revision, transaction);
    }
  }

  private void handOver(long revision, List<EtcdChangeReader.KeyEvent> events) { // on the follower
    EtcdChangeReader.Read read;
    StoreFeed registry;
    synchronized (this) { // waits for a commit on its way, so its revision is known to be ours
      if (closed || revision <= followedRevision) {
        return; // shown again after the watch resumed
      }
      followedRevision = revision;
      if (ownRevisions.remove(revision)) {
        return;
      }
      read = EtcdChangeReader.read(keys, events);
      if (read.mark() == null && read.changes().isEmpty()) {
        return; // not the registry's: a replica joining or leaving (members/)
      }
      read.index().applyTo(index);
      if (read.mark() != null) {
        guardAt.put(revision, revision);
      }
      registry = feed;
    }
    registry.followed(revision, read.changes());
  }

  /**
   * The watch ended: etcd compacted the revisions it needs (then everything is read again and
   * handed over as one state), or it failed otherwise (then it resumes where it was).
   */
  private void watchFailed(Throwable error) { // on the follower
    synchronized (this) {
      if (closed) {
        return;
      }
      if (watcher != null) {
        watcher.close();
        watcher = null;
      }
      watchGeneration++; // what the closed watch still reports is not followed
    }
    if (compacted(error)) {
      reload();
    } else {
      LOG.warn(
          "etcd watch of {} ended ({}); resuming", keys.prefix(), error == null ? "closed" : error);
    }
    synchronized (this) {
      if (!closed) {
        long from = followedRevision + 1;
        follower.schedule(() -> resume(from), compacted(error) ? 0 : 1, TimeUnit.SECONDS);
      }
    }
  }

  private synchronized boolean current(long generation) {
    return generation == watchGeneration && !closed;
  }

  private synchronized void resume(long from) {
    if (!closed && watcher == null) {
      watchFrom(Math.max(from, followedRevision + 1));
    }
  }

  private static boolean compacted(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof CompactedException) {
        return true;
      }
    }
    return false;
  }

  /** Reads everything again and hands it over as one state; retried until etcd answers. */
  private void reload() { // on the follower
    while (true) {
      EtcdStateReader.Loaded loaded;
      StoreFeed registry;
      try {
        synchronized (this) {
          if (closed) {
            return;
          }
          loaded = readAll();
          index = loaded.index();
          followedRevision = loaded.revision();
          ownRevisions.clear();
          guardAt.put(loaded.revision(), loaded.versionRevision());
          reloadPending = loaded.revision();
          registry = feed;
        }
      } catch (RegistryStoreException unreachable) {
        LOG.warn(
            "etcd: cannot read the registry again after a compaction: {}",
            unreachable.getMessage());
        sleepQuietly();
        continue;
      }
      LOG.warn(
          "etcd compacted the revisions the watch of {} needed: read the registry again at revision {}",
          keys.prefix(),
          loaded.revision());
      registry.reloaded(loaded.revision(), loaded.state());
      return;
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void appliedThrough(long position) {
    Map.Entry<Long, Long> guard = guardAt.floorEntry(position);
    if (guard != null) {
      versionRevision = Math.max(versionRevision, guard.getValue());
      guardAt.headMap(position, true).clear();
    }
    if (reloadPending != 0 && position >= reloadPending) {
      reloadPending = 0;
    }
  }

  /** Replicas share this store: health found by checks is stored, for every replica to answer. */
  @Override
  public boolean shared() {
    return true;
  }

  /**
   * Joins the replicas that check health, under a lease of {@code ttl}: the instances whose checks
   * this replica runs, and which move to the others when it dies. Uses this store's client.
   */
  public EtcdMembership membership(Duration ttl) {
    return new EtcdMembership(client, keys, writer, ttl);
  }

  @Override
  public String describe() {
    return "etcd " + endpoints() + " prefix " + keys.prefix();
  }

  @Override
  public void close() {
    ScheduledExecutorService stopping;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (watcher != null) {
        watcher.close();
      }
      stopping = follower;
    }
    if (stopping != null) {
      stopping.shutdownNow();
    }
    client.close();
  }

  private void ensureOpen() {
    if (closed) {
      throw new RegistryStoreException("store is closed");
    }
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
