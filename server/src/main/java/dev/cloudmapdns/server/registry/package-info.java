/**
 * The registry domain: namespaces, services, instances and their health, as plain immutable values
 * on persistent maps; commands as values ({@code RegistryCommand}), decided by pure per-resource
 * deciders into state deltas ({@code StateDelta}); and the single writer that decides, commits
 * (group commit through the {@code RegistryStore} port) and publishes each new state. No transport,
 * storage or framework types live here.
 */
package dev.cloudmapdns.server.registry;
