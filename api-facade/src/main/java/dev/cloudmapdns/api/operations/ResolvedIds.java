package dev.cloudmapdns.api.operations;

import dev.cloudmapdns.api.backend.BackendException;
import dev.cloudmapdns.api.backend.CloudMapBackend;

/**
 * Ids or ARNs given as filter values, resolved to ids through the backend (which owns ARN lookup).
 * One that names nothing stays as given, so it simply matches nothing.
 */
final class ResolvedIds {
  private ResolvedIds() {}

  static String namespace(CloudMapBackend backend, String idOrArn) {
    try {
      return backend.namespace(idOrArn).id();
    } catch (BackendException e) {
      return idOrArn;
    }
  }

  static String service(CloudMapBackend backend, String idOrArn) {
    try {
      return backend.service(idOrArn).id();
    } catch (BackendException e) {
      return idOrArn;
    }
  }
}
