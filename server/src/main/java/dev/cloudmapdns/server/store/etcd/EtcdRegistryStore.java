package dev.cloudmapdns.server.store.etcd;

import dev.cloudmapdns.server.registry.DeltaSet;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.RegistryStore;
import dev.cloudmapdns.server.registry.RegistryStoreException;
import dev.cloudmapdns.server.store.etcd.EtcdStateReader.StoredKey;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/**
 * The registry kept in etcd v3, shared by every replica that names the same endpoints and prefix.
 * {@link #load} reads every key under the prefix at one revision; {@link #commit} writes a batch as
 * one transaction that etcd applies only if no other writer has changed the registry since this
 * store last read or wrote it (the mod revision of {@code meta/version}) and no name or request id
 * it claims exists yet; it returns once etcd has committed it, so an acknowledged write is on a
 * quorum of members. A refused or failed transaction changes nothing.
 */
public final class EtcdRegistryStore implements RegistryStore {
  /** Keys read per range request at load (etcd answers at most a few MiB at once). */
  private static final int PAGE = 2_000;

  private final EtcdSettings settings;
  private final EtcdKeys keys;
  private final Client client;
  private final KV kv;
  private final String writer = UUID.randomUUID().toString();
  private EtcdIndex index = new EtcdIndex();
  private long versionRevision;
  private boolean closed;

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
    EtcdStateReader.Loaded loaded = EtcdStateReader.read(keys, stored, revision);
    index = loaded.index();
    versionRevision = loaded.versionRevision();
    return loaded.state();
  }

  @Override
  public synchronized void commit(List<DeltaSet> batch) {
    ensureOpen();
    if (batch.isEmpty()) {
      return;
    }
    EtcdTransaction transaction = EtcdTransaction.plan(keys, index, batch, writer);
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
    TxnResponse response =
        await(
            kv.txn()
                .If(guards.toArray(Cmp[]::new))
                .Then(writes.toArray(Op[]::new))
                .Else(onRefusal.toArray(Op[]::new))
                .commit(),
            "commit " + batch.size() + " change sets (" + writes.size() + " keys)");
    if (!response.isSucceeded()) {
      throw refusal(response, transaction);
    }
    versionRevision = response.getHeader().getRevision();
    transaction.applyTo(index);
  }

  /** Why etcd did not apply the transaction: another writer, or a name or request id taken. */
  private RegistryStoreException refusal(TxnResponse response, EtcdTransaction transaction) {
    List<KeyValue> version =
        response.getGetResponses().isEmpty()
            ? List.of()
            : response.getGetResponses().get(0).getKvs();
    long current = version.isEmpty() ? 0 : version.get(0).getModRevision();
    if (current != versionRevision) {
      return new RegistryStoreException(
          "another writer changed the registry in etcd (at revision "
              + current
              + ", this replica last saw "
              + versionRevision
              + "); nothing of this batch was stored, retry");
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
      throw new RegistryStoreException(
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
      throw new RegistryStoreException(
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
  public String describe() {
    return "etcd " + endpoints() + " prefix " + keys.prefix();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
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
