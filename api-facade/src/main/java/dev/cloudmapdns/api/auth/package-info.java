/**
 * Who sent a request: the region named in its SigV4 credential scope, and, when verification is
 * switched on, whether its signature is valid for one of the configured access keys.
 */
package dev.cloudmapdns.api.auth;
