package dev.cloudmapdns.server.store.etcd;

import dev.cloudmapdns.server.health.CheckOwnership;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live replicas of one registry, and which of them checks which instance. Each replica holds an
 * etcd lease (kept alive) and a key {@code members/<replica id>} under it; every replica watches
 * those keys. An instance belongs to the live member with the highest rendezvous hash of member and
 * instance, so every replica computes the same owner without an election, and when a replica dies
 * (its lease expires, at most one TTL after its last keep-alive) only its own instances move, each
 * to one of the others. Until the first member list is read, and should it ever be empty, this
 * replica owns everything: a check too many beats a check missing.
 */
public final class EtcdMembership implements CheckOwnership, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdMembership.class);

  private final Client client;
  private final EtcdKeys keys;
  private final String member;
  private final Duration ttl;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "etcd-membership");
            thread.setDaemon(true);
            return thread;
          });

  private volatile Set<String> members = Set.of();
  private long leaseId; // on the timer
  private CloseableClient keepAlive; // on the timer
  private Watch.Watcher watcher; // on the timer
  private volatile boolean closed;

  EtcdMembership(Client client, EtcdKeys keys, String member, Duration ttl) {
    this.client = client;
    this.keys = keys;
    this.member = member;
    this.ttl = ttl;
    timer.execute(this::join);
  }

  /** This replica's id among the members. */
  public String member() {
    return member;
  }

  /** The live members as last read, sorted. */
  public Set<String> members() {
    return members;
  }

  @Override
  public boolean owns(String serviceId, String instanceId) {
    Set<String> live = members;
    if (live.isEmpty()) {
      return true;
    }
    String instance = serviceId + "/" + instanceId;
    String owner = null;
    long best = 0;
    for (String candidate : live) {
      long score = rendezvous(candidate, instance);
      if (owner == null || Long.compareUnsigned(score, best) > 0) {
        owner = candidate;
        best = score;
      }
    }
    return member.equals(owner);
  }

  @Override
  public void onChange(Runnable changed) {
    listeners.add(changed);
  }

  /** FNV-1a over member and instance, then a 64-bit finaliser so close ids spread. */
  static long rendezvous(String member, String instance) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : (member + '\u0000' + instance).getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    hash *= 0xc4ceb3f99fe1a8cdL;
    hash ^= hash >>> 33;
    return hash;
  }

  /** Takes a lease, puts this member's key under it, keeps it alive and follows the others. */
  private void join() { // on the timer
    if (closed) {
      return;
    }
    try {
      leaseId = client.getLeaseClient().grant(ttl.toSeconds()).get(10, TimeUnit.SECONDS).getID();
      client
          .getKVClient()
          .put(
              bytes(keys.member(member)),
              bytes(member),
              PutOption.builder().withLeaseId(leaseId).build())
          .get(10, TimeUnit.SECONDS);
      keepAlive = client.getLeaseClient().keepAlive(leaseId, new KeptAlive(leaseId));
      long revision = readMembers();
      watcher =
          client
              .getWatchClient()
              .watch(
                  bytes(keys.members()),
                  WatchOption.builder().isPrefix(true).withRevision(revision + 1).build(),
                  Watch.listener(
                      response -> timer.execute(() -> changed(response.getEvents())),
                      error -> timer.execute(this::rejoin)));
      LOG.info("joined the replicas of {} as {}: {}", keys.prefix(), member, members);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        return;
      }
      LOG.warn("cannot join the replicas in etcd yet ({}); retrying", e.toString());
      rejoinLater();
    }
  }

  private long readMembers() throws Exception {
    var response =
        client
            .getKVClient()
            .get(bytes(keys.members()), GetOption.builder().isPrefix(true).build())
            .get(10, TimeUnit.SECONDS);
    Set<String> live = new TreeSet<>();
    for (KeyValue value : response.getKvs()) {
      live.add(value.getValue().toString(StandardCharsets.UTF_8));
    }
    live.add(member);
    publish(live);
    return response.getHeader().getRevision();
  }

  private void changed(List<WatchEvent> events) { // on the timer
    Set<String> live = new TreeSet<>(members);
    for (WatchEvent event : events) {
      String key = event.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
      String id = key.substring(keys.members().length());
      if (event.getEventType() == WatchEvent.EventType.DELETE) {
        live.remove(id);
      } else {
        live.add(id);
      }
    }
    if (!live.contains(member)) {
      LOG.warn("this replica's lease in etcd expired; joining again");
      rejoin();
      return;
    }
    publish(live);
  }

  private void publish(Set<String> live) {
    Set<String> next = Set.copyOf(new TreeSet<>(live));
    if (next.equals(members)) {
      return;
    }
    LOG.info("replicas checking health: {}", new TreeSet<>(next));
    members = next;
    for (Runnable listener : listeners) {
      listener.run();
    }
  }

  private void rejoin() { // on the timer
    release();
    rejoinLater();
  }

  private void rejoinLater() {
    if (!closed) {
      timer.schedule(this::join, 1, TimeUnit.SECONDS);
    }
  }

  private void release() { // on the timer
    if (watcher != null) {
      watcher.close();
      watcher = null;
    }
    if (keepAlive != null) {
      keepAlive.close();
      keepAlive = null;
    }
  }

  /** Leaves the fleet at once (revokes the lease) so the others take over without waiting. */
  @Override
  public void close() {
    closed = true;
    try {
      timer
          .submit(
              () -> {
                release();
                if (leaseId != 0) {
                  try {
                    client.getLeaseClient().revoke(leaseId).get(2, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    LOG.debug("lease not revoked; it expires by itself", e);
                  }
                }
              })
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("membership not released cleanly", e);
    } finally {
      timer.shutdownNow();
    }
  }

  /** Rejoins when etcd ends the keep-alive stream (the lease expired or the stream broke). */
  private final class KeptAlive implements StreamObserver<LeaseKeepAliveResponse> {
    private final long lease;

    KeptAlive(long lease) {
      this.lease = lease;
    }

    @Override
    public void onNext(LeaseKeepAliveResponse response) {}

    @Override
    public void onError(Throwable error) {
      timer.execute(
          () -> {
            if (leaseId == lease && !closed) {
              LOG.warn("etcd lease keep-alive failed ({}); joining again", error.toString());
              rejoin();
            }
          });
    }

    @Override
    public void onCompleted() {}
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
