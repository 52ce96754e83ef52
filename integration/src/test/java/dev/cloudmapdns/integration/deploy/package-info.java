/**
 * The deployment manifests in {@code docs/deploy/kubernetes}: read into Fabric8's model and checked
 * for consistency on every build, and dry-run against a real API server where one can be started.
 */
package dev.cloudmapdns.integration.deploy;
