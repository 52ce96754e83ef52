/**
 * Fixture builders shared by the server's tests: registry inputs (namespace and service specs,
 * instance attributes) built in the domain's words, so that each test states only what it is about
 * and takes the rest from valid defaults.
 */
package dev.cloudmapdns.server.testing;
