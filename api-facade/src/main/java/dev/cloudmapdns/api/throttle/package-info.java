/**
 * Per-client request rates: a token bucket per client (the SigV4 access key of a signed request,
 * else the address the carrier saw), so one busy or misbehaving client is answered {@code
 * ThrottlingException} instead of queueing every other client's calls behind its own.
 */
package dev.cloudmapdns.api.throttle;
