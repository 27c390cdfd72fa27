package io.monitorlab.agent;

import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.monitorlab.common.EtcdErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews a lease once, asking until etcd answers: renewed, or the lease is gone. jetcd's streaming
 * keepAlive never re-grants and hides a lost lease; one request per renewal says plainly whether the
 * lease still exists.
 *
 * <p>A try that gets no answer within {@link #HEDGE} is left running and another is sent beside it,
 * which the client's round-robin sends to the next member: a frozen member holds a request without
 * failing it, and waiting it out would spend the TTL on one member. The first answer counts.
 *
 * <p>Only etcd decides that the lease is gone. Giving up on our own clock when the TTL has passed
 * since the last renewal would be wrong twice over: a new leader extends every lease by its election
 * timeout, and a request that timed out here may still have renewed it. Giving up early made the agent
 * re-register while its old lease was still alive on the server, and the old key then expired under the
 * monitor's eyes as a DEAD node. Used from the heartbeat loop's thread only.
 */
final class LeaseRenewer {
  private static final Logger log = LoggerFactory.getLogger(LeaseRenewer.class);
  /** How long one try gets before another is sent beside it; a healthy member answers in milliseconds. */
  static final Duration HEDGE = Duration.ofMillis(500);
  private static final Duration STOP_CHECK = Duration.ofMillis(50);

  private final Lease lease;
  private final String node;
  private final BooleanSupplier stopping;
  private final Runnable beforeRetry;

  LeaseRenewer(Lease lease, String node, BooleanSupplier stopping, Runnable beforeRetry) {
    this.lease = lease;
    this.node = node;
    this.stopping = stopping;
    this.beforeRetry = beforeRetry;
  }

  /** Null when renewed (or stopping), else why the lease is gone. */
  String renew(long id) throws InterruptedException {
    CompletableFuture<LeaseKeepAliveResponse> first = new CompletableFuture<>();
    List<CompletableFuture<LeaseKeepAliveResponse>> tries = new ArrayList<>();
    try {
      while (!stopping.getAsBoolean()) {
        if (!tries.isEmpty()) {
          beforeRetry.run();
        }
        tries.add(send(id, first));
        try {
          LeaseKeepAliveResponse r = await(first);
          if (r == null) {
            logOutage(id, tries);
            continue;
          }
          if (tries.size() > 1) {
            log.info("lease renewed node={} lease={} tries={}", node, id, tries.size());
          }
          return r.getTTL() > 0 ? null : "expired or revoked";
        } catch (ExecutionException e) {
          if (EtcdErrors.isLeaseNotFound(e)) {
            return "expired or revoked";
          }
          throw new IllegalStateException("lease renewal failed: " + EtcdErrors.describe(e), e);
        }
      }
      return null;
    } finally {
      // Lets jetcd close the streams of tries nobody waits for any more.
      tries.forEach(t -> t.cancel(false));
    }
  }

  /** Sends one try; its answer, a lost lease or a refusal completes {@code first}, an outage only itself. */
  private CompletableFuture<LeaseKeepAliveResponse> send(long id, CompletableFuture<LeaseKeepAliveResponse> first) {
    CompletableFuture<LeaseKeepAliveResponse> attempt = lease.keepAliveOnce(id);
    attempt.whenComplete((r, e) -> {
      if (e == null) {
        first.complete(r);
      } else if (!EtcdErrors.isTransient(e) || EtcdErrors.isLeaseNotFound(e)) {
        first.completeExceptionally(e);
      }
    });
    return attempt;
  }

  /** The first answer within {@link #HEDGE}, or null when none came or the loop is stopping. */
  private LeaseKeepAliveResponse await(CompletableFuture<LeaseKeepAliveResponse> first)
      throws ExecutionException, InterruptedException {
    long until = System.nanoTime() + HEDGE.toNanos();
    // In slices, so that a stop is seen within one of them.
    for (long left = HEDGE.toNanos(); left > 0 && !stopping.getAsBoolean(); left = until - System.nanoTime()) {
      try {
        return first.get(Math.min(left, STOP_CHECK.toNanos()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // next slice
      }
    }
    return null;
  }

  /** The first unanswered try of a renewal is logged at WARN, later ones at DEBUG. */
  private void logOutage(long id, List<CompletableFuture<LeaseKeepAliveResponse>> tries) {
    String why = "no answer within " + HEDGE.toMillis() + " ms";
    for (CompletableFuture<LeaseKeepAliveResponse> t : tries) {
      if (t.isCompletedExceptionally()) {
        why = EtcdErrors.describe(t.handle((r, e) -> e).join());
      }
    }
    if (tries.size() == 1) {
      log.warn("lease renewal not answered node={} lease={} error=\"{}\"; asking again", node, id, why);
    } else {
      log.debug("lease renewal still not answered node={} lease={} tries={} error=\"{}\"", node, id, tries.size(), why);
    }
  }
}
