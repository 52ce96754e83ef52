/**
 * The AWS edge of cloudmap-dns: {@link dev.cloudmapdns.api.CloudMapApi} takes a raw HTTP request in
 * Cloud Map's JSON 1.1 protocol and returns the raw response, so any HTTP server can carry it and
 * tests need none. It validates requests against AWS's own API model, shapes errors as the SDKs
 * expect them and talks to the registry only through {@link dev.cloudmapdns.api.backend}.
 */
package dev.cloudmapdns.api;
