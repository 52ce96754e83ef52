package dev.cloudmapdns.server.app;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Where the registry keeps its data ({@code cloudmap.store.*}); see docs/store.md.
 *
 * @param type {@code sqlite}: a database file that survives restarts and crashes; {@code etcd}: an
 *     etcd cluster shared by several replicas ({@link EtcdConfiguration}); {@code memory}: nothing
 *     is kept when the server stops
 * @param file the SQLite database; its directory is created when missing
 * @param synchronous {@code full}: every acknowledged change is on disk, power loss included;
 *     {@code normal}: a crashed process loses nothing, a power loss may lose the last changes
 */
@ConfigurationProperties("cloudmap.store")
public record StoreConfiguration(
    @Bindable(defaultValue = "sqlite") String type,
    @Bindable(defaultValue = "data/cloudmap.db") String file,
    @Bindable(defaultValue = "full") String synchronous) {}
