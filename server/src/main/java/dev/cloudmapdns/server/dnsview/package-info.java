/**
 * The snapshot index: projects each registry state onto the DNS edge's immutable zone set, which
 * DNS queries read without locks.
 */
package dev.cloudmapdns.server.dnsview;
