/**
 * The declarative seed file ({@code --seed registry.yaml}): parsed with line numbers and applied
 * through the registry's ordinary commands, for static setups and tests.
 */
package dev.cloudmapdns.server.seed;
