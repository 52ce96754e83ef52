/**
 * The DNS view of the registry: zone definitions handed over by the server, compiled into immutable
 * zones whose names map straight to the records a query may receive. Everything here is immutable,
 * so readers never lock.
 */
package dev.cloudmapdns.dns.zone;
