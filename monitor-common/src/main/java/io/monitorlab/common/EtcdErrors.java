package io.monitorlab.common;

import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.EnumSet;
import java.util.Set;
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
   * The gRPC codes that a retry may cure: etcd or the network down or overloaded, no leader, a leader
   * change, a call cut short. An allow-list, as jetcd keeps one: PERMISSION_DENIED, UNAUTHENTICATED,
   * INVALID_ARGUMENT and the like are answers, and retrying them would spin forever.
   */
  private static final Set<Status.Code> RETRYABLE = EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
      Status.Code.ABORTED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.CANCELLED, Status.Code.UNKNOWN, Status.Code.INTERNAL);

  /**
   * Whether the failure is an outage (etcd unreachable, no leader, timed out) that a retry may cure, or
   * a lost lease that the loops replace; anything else (a refusal, a bug) is not.
   */
  public static boolean isTransient(Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof TimeoutException) {
      return true;
    }
    if (isLeaseNotFound(cause)) {
      return true;
    }
    for (Throwable cur = cause; cur != null; cur = cur.getCause()) {
      if (cur instanceof javax.net.ssl.SSLException || cur instanceof EtcdAccessException) {
        // TLS trust, host name or certificate validity: the same answer every time.
        return false;
      }
      String m = cur.getMessage();
      if (m != null && m.contains("invalid auth token")) {
        // The token expired (etcd's --auth-token-ttl); jetcd fetches a new one for the next call.
        return true;
      }
    }
    if (cause instanceof java.io.IOException) {
      // Our own "watch broke" wraps what the watch said: that decides.
      return cause.getCause() == null || isTransient(cause.getCause());
    }
    Status.Code code = codeOf(cause);
    return code != null && RETRYABLE.contains(code);
  }

  /** The gRPC code behind a failure, or null when it carries none. */
  public static Status.Code codeOf(Throwable t) {
    for (Throwable cur = unwrap(t); cur != null; cur = cur.getCause()) {
      if (cur instanceof EtcdException e) {
        return Status.Code.valueOf(e.getErrorCode().name());
      }
      if (cur instanceof StatusRuntimeException e) {
        return e.getStatus().getCode();
      }
      if (cur instanceof StatusException e) {
        return e.getStatus().getCode();
      }
    }
    return null;
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
