/**
 * The application: command line, configuration records and the Micronaut factories that wire the
 * registry to its edges. The only package that knows about Micronaut.
 */
package dev.cloudmapdns.server.app;
