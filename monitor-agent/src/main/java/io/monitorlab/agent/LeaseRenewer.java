package io.monitorlab.agent;

import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.monitorlab.common.EtcdErrors;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews a lease once, retrying an outage (a dead or frozen member: the next try goes to another)
 * until the lease must have expired. jetcd's streaming keepAlive never re-grants and hides a lost
 * lease; one request per renewal says plainly whether the lease still exists.
 * Used from the heartbeat loop's thread only.
 */
final class LeaseRenewer {
  private static final Logger log = LoggerFactory.getLogger(LeaseRenewer.class);
  private static final Duration TRY_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration RETRY = Duration.ofMillis(300);

  private final Lease lease;
  private final String node;
  private final BooleanSupplier stopping;
  private final Predicate<Duration> sleepUntilStopped;
  private final Runnable beforeRetry;

  LeaseRenewer(Lease lease, String node, BooleanSupplier stopping, Predicate<Duration> sleepUntilStopped, Runnable beforeRetry) {
    this.lease = lease;
    this.node = node;
    this.stopping = stopping;
    this.sleepUntilStopped = sleepUntilStopped;
    this.beforeRetry = beforeRetry;
  }

  /** Null when renewed (or stopping), else why the lease is gone. {@code renewedAt} is System.nanoTime(). */
  String renew(long id, long renewedAt, Duration ttl) throws InterruptedException {
    long expiresAt = renewedAt + ttl.toNanos();
    while (!stopping.getAsBoolean()) {
      long left = expiresAt - System.nanoTime();
      if (left <= 0) {
        return "no renewal within the TTL";
      }
      try {
        LeaseKeepAliveResponse r = lease.keepAliveOnce(id).get(Math.min(left, TRY_TIMEOUT.toNanos()), TimeUnit.NANOSECONDS);
        return r.getTTL() > 0 ? null : "expired or revoked";
      } catch (ExecutionException | TimeoutException e) {
        if (EtcdErrors.isLeaseNotFound(e)) {
          return "expired or revoked";
        }
        if (!EtcdErrors.isTransient(e)) {
          throw new IllegalStateException("lease renewal failed: " + EtcdErrors.describe(e), e);
        }
        log.warn("lease renewal failed node={} lease={} error=\"{}\"; retrying", node, id, EtcdErrors.describe(e));
        if (sleepUntilStopped.test(RETRY)) {
          return null;
        }
        beforeRetry.run();
      }
    }
    return null;
  }
}
