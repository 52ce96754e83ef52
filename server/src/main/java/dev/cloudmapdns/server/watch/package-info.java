/**
 * Registry changes for watchers: the registry's successive states turned into per-instance events
 * (registered, updated, deregistered, health changed), filtered per namespace or service, and the
 * thin {@code cloudmapdns.v1.RegistryWatch} gRPC service that streams them.
 */
package dev.cloudmapdns.server.watch;
