/**
 * The port between the API and the registry: {@link dev.cloudmapdns.api.backend.CloudMapBackend},
 * the commands it takes and the one table from its failure kinds to AWS error codes ({@link
 * dev.cloudmapdns.api.backend.BackendFailure}). The server implements it; tests may fake it.
 */
package dev.cloudmapdns.api.backend;
