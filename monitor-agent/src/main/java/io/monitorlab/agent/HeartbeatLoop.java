package io.monitorlab.agent;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import io.monitorlab.common.Backoff;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.EtcdErrors;
import io.monitorlab.common.Heartbeat;
import io.monitorlab.common.Keys;
import io.monitorlab.common.SessionLoop;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code /monitor/heartbeat/<node>} alive: a session grants a lease, puts the heartbeat with
 * it, then every TTL/2 renews the lease and refreshes the value. When the lease is gone (expired
 * during a pause or cut-off, revoked) the session ends and the next one registers again.
 * One loop on one thread; {@link #leave()} runs after the loop has stopped.
 */
final class HeartbeatLoop extends SessionLoop {
  private static final Logger log = LoggerFactory.getLogger(HeartbeatLoop.class);
  private static final Duration RETRY = Duration.ofMillis(300);
  private static final Duration LEAVE_STEP = Duration.ofMillis(700);
  private static final Duration PUT_TIMEOUT = Duration.ofSeconds(1);

  private final Client client;
  private final HeartbeatSettings settings;
  private final AgentPrinter printer;
  private final Clock clock;
  private final String key;
  private volatile long leaseId;
  private boolean announced;

  HeartbeatLoop(Client client, EtcdEndpoints endpoints, HeartbeatSettings settings, AgentPrinter printer, Clock clock) {
    super("heartbeat", Backoff.DEFAULT, endpoints);
    this.client = client;
    this.settings = settings;
    this.printer = printer;
    this.clock = clock;
    this.key = Keys.heartbeat(settings.node());
  }

  @Override
  protected void runSession() throws Exception {
    long granted = System.nanoTime();
    LeaseGrantResponse grant = client.getLeaseClient().grant(settings.ttl().toSeconds())
        .get(EtcdClients.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    long id = grant.getID();
    long ttlSeconds = grant.getTTL();
    leaseId = id;
    printer.leaseCreated(ttlSeconds, id);
    if (!announced) {
      printer.heartbeatKey(settings.node(), key);
      announced = true;
    }
    log.info("lease granted node={} lease={} ttl_s={}", settings.node(), id, ttlSeconds);
    Duration ttl = Duration.ofSeconds(ttlSeconds);
    Duration every = ttl.dividedBy(2);
    long renewedAt = granted;
    if (!beat(id, ttl)) {
      return;
    }
    // Fixed rate from the grant: time spent renewing or putting does not push the next renewal back.
    long next = granted + every.toNanos();
    while (!sleep(Duration.ofNanos(Math.max(0, next - System.nanoTime())))) {
      long sent = System.nanoTime();
      next = sent + every.toNanos();
      String lost = renew(id, renewedAt, ttl);
      if (lost != null) {
        leaseId = 0;
        printer.leaseLost(settings.node(), id, lost);
        log.warn("lease lost node={} lease={} reason=\"{}\"", settings.node(), id, lost);
        return;
      }
      renewedAt = sent;
      if (!beat(id, ttl)) {
        return;
      }
    }
  }

  /** Renews the lease, retrying an outage until the lease must have expired; null when renewed, else why not. */
  private String renew(long id, long renewedAt, Duration ttl) throws InterruptedException {
    long expiresAt = renewedAt + ttl.toNanos();
    while (!isStopping()) {
      long left = expiresAt - System.nanoTime();
      if (left <= 0) {
        return "no renewal within the TTL";
      }
      try {
        LeaseKeepAliveResponse r = client.getLeaseClient().keepAliveOnce(id)
            .get(Math.min(left, Duration.ofSeconds(1).toNanos()), TimeUnit.NANOSECONDS);
        return r.getTTL() > 0 ? null : "expired or revoked";
      } catch (ExecutionException | TimeoutException e) {
        if (EtcdErrors.isLeaseNotFound(e)) {
          return "expired or revoked";
        }
        if (!EtcdErrors.isTransient(e)) {
          throw new IllegalStateException("lease renewal failed: " + EtcdErrors.describe(e), e);
        }
        log.warn("lease renewal failed node={} lease={} error=\"{}\"; retrying", settings.node(), id, EtcdErrors.describe(e));
        if (sleep(RETRY)) {
          return null;
        }
      }
    }
    return null;
  }

  /** Puts a fresh heartbeat with the lease; false when the lease is gone. An outage is logged and left to the next beat. */
  private boolean beat(long id, Duration ttl) throws InterruptedException {
    try {
      // Bounded well below the TTL so that a put stuck on a frozen member cannot delay the next renewal.
      Duration timeout = ttl.dividedBy(4).compareTo(PUT_TIMEOUT) < 0 ? ttl.dividedBy(4) : PUT_TIMEOUT;
      put(Heartbeat.alive(settings.node(), clock.instant()), id, timeout);
      printer.sent(settings.node());
      return true;
    } catch (ExecutionException | TimeoutException e) {
      if (EtcdErrors.isLeaseNotFound(e)) {
        leaseId = 0;
        printer.leaseLost(settings.node(), id, "expired or revoked");
        return false;
      }
      if (!EtcdErrors.isTransient(e)) {
        throw new IllegalStateException("heartbeat put failed: " + EtcdErrors.describe(e), e);
      }
      log.warn("heartbeat put failed node={} lease={} error=\"{}\"; the lease keeps the key until it expires",
          settings.node(), id, EtcdErrors.describe(e));
      return true;
    }
  }

  private void put(Heartbeat hb, long id, Duration timeout) throws ExecutionException, TimeoutException, InterruptedException {
    client.getKVClient()
        .put(EtcdClients.bytes(key), EtcdClients.bytes(hb.toJson()), PutOption.builder().withLeaseId(id).build())
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Announces a graceful departure: puts {@code "status": "leaving"} and revokes the lease, each
   * bounded so that the whole stop fits in 2 s. Call after the loop thread has ended.
   */
  void leave() {
    long id = leaseId;
    if (id == 0) {
      return;
    }
    try {
      put(Heartbeat.leaving(settings.node(), clock.instant()), id, LEAVE_STEP);
      printer.leaving(settings.node());
    } catch (ExecutionException | TimeoutException e) {
      log.warn("could not announce leaving node={} lease={} error=\"{}\"", settings.node(), id, EtcdErrors.describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      client.getLeaseClient().revoke(id).get(LEAVE_STEP.toMillis(), TimeUnit.MILLISECONDS);
      leaseId = 0;
      log.info("lease revoked node={} lease={}", settings.node(), id);
    } catch (ExecutionException | TimeoutException e) {
      log.warn("could not revoke lease node={} lease={} error=\"{}\"; it expires by itself within the TTL",
          settings.node(), id, EtcdErrors.describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
