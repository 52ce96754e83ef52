/**
 * The answer engine: one parsed query in, one reply out, after Cloud Map's record rules and the
 * RFCs stub resolvers rely on (NXDOMAIN versus NODATA, SOA in negative answers, EDNS, truncation).
 * {@link dev.cloudmapdns.dns.engine.DnsWireHandler} is the byte-level front every transport uses.
 */
package dev.cloudmapdns.dns.engine;
