/**
 * Prometheus metrics: one Micrometer registry, served as text at {@code GET /metrics}, fed through
 * the small recorder interfaces each edge defines (DNS queries, forwarding, API calls) and by
 * meters that read the registry, the store, the health workers and the watch when scraped. Nothing
 * here is on a lock or allocates on the query path.
 */
package dev.cloudmapdns.server.metrics;
