/**
 * Where the registry's state survives restarts: {@link
 * dev.cloudmapdns.server.store.SqliteRegistryStore} keeps it in one SQLite file, refuses at
 * start-up any file it cannot safely own (damaged, read-only, in use, another application's,
 * newer), and writes each batch of change sets in one transaction. The registry domain knows
 * nothing of SQL.
 */
package dev.cloudmapdns.server.store;
