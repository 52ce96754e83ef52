/**
 * The registry shared by several replicas in etcd v3 ({@code --store=etcd}): {@link
 * dev.cloudmapdns.server.store.etcd.EtcdRegistryStore} keeps every value under one key prefix
 * ({@link dev.cloudmapdns.server.store.etcd.EtcdKeys}, JSON values by {@link
 * dev.cloudmapdns.server.store.etcd.EtcdCodec}), commits each batch of change sets as one etcd
 * transaction guarded by the revision this replica last saw and by compare-and-swap on names and
 * request ids, and reads everything back at one revision. It follows the other replicas' commits
 * from an etcd watch ({@link dev.cloudmapdns.server.store.etcd.EtcdChangeReader} turns each
 * transaction back into deltas), reloads after a compaction, probes etcd for {@code /health}, and
 * {@link dev.cloudmapdns.server.store.etcd.EtcdMembership} splits active checks between the live
 * replicas by lease. The registry domain knows nothing of etcd.
 */
package dev.cloudmapdns.server.store.etcd;
