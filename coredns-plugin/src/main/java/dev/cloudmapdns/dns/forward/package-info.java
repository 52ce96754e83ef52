/**
 * Forwarding: names outside every zone go to upstream resolvers, one after the other, each with its
 * own timeout, without blocking a thread; the answer engine never learns about it.
 */
package dev.cloudmapdns.dns.forward;
