package io.monitorlab.common;

import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Classifies and describes failures of etcd calls in one line. This class is thread-safe. */
public final class EtcdErrors {
  private EtcdErrors() {}

  /** The innermost cause behind future wrappers. */
  public static Throwable unwrap(Throwable t) {
    Throwable cur = t;
    while ((cur instanceof ExecutionException || cur instanceof CompletionException) && cur.getCause() != null) {
      cur = cur.getCause();
    }
    return cur;
  }

  /** Whether etcd said the lease does not exist (expired or revoked). */
  public static boolean isLeaseNotFound(Throwable t) {
    for (Throwable cur = t; cur != null; cur = cur.getCause()) {
      String m = cur.getMessage();
      if (m != null && m.contains("requested lease not found")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the failure is an outage (etcd unreachable, no leader, timed out) that a retry may cure,
   * as opposed to a bug.
   */
  public static boolean isTransient(Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof TimeoutException || cause instanceof EtcdException || cause instanceof java.io.IOException) {
      return true;
    }
    if (cause instanceof StatusRuntimeException sre) {
      Status.Code code = sre.getStatus().getCode();
      return code != Status.Code.INVALID_ARGUMENT && code != Status.Code.UNIMPLEMENTED;
    }
    return false;
  }

  /** A short one-line description: the innermost message, without stack. */
  public static String describe(Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof TimeoutException) {
      return "timed out";
    }
    String m = firstLine(cause);
    if (cause instanceof StatusRuntimeException && cause.getCause() != null) {
      // gRPC says "UNAVAILABLE: io exception"; the cause says what happened, e.g. connection refused.
      m = m + " (" + firstLine(cause.getCause()) + ")";
    }
    return m;
  }

  private static String firstLine(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      return t.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
