/**
 * The registry behind the Cloud Map API: implements the facade's backend port by translating its
 * values to registry commands and registry values back to Cloud Map's shapes, once, here.
 */
package dev.cloudmapdns.server.api;
