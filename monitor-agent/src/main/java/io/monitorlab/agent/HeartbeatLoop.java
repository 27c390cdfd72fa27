package io.monitorlab.agent;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.monitorlab.common.Backoff;
import io.monitorlab.common.ChannelBackoff;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.EtcdErrors;
import io.monitorlab.common.Heartbeat;
import io.monitorlab.common.Keys;
import io.monitorlab.common.Registration;
import io.monitorlab.common.SessionLoop;
import io.monitorlab.common.WatchInbox;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code /monitor/heartbeat/<node>} alive: a session grants a lease, writes the heartbeat
 * with it, then every TTL/2 renews the lease and refreshes the value. It watches its own key, so a
 * deleted key is written again at once. When the lease is gone (expired during a pause or cut-off,
 * revoked) the session ends and the next one registers again. A key held by another agent is
 * reported and never overwritten. The lease is offered to {@code onLease} once the key is written under it
 * (and 0 when it is lost or the key is another agent's), so that the agent's other keys follow it.
 * One loop on one thread; {@link #leave(Deadline)} runs after it stopped.
 */
final class HeartbeatLoop extends SessionLoop {
  private static final Logger log = LoggerFactory.getLogger(HeartbeatLoop.class);
  private static final Duration PUT_TIMEOUT = Duration.ofSeconds(1);
  /** Retries at least every second: a node must be registered again within 2 s of etcd being reachable. */
  private static final Backoff RETRY = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1));

  private final Client client;
  private final HeartbeatSettings settings;
  private final AgentPrinter printer;
  private final Clock clock;
  private final String key;
  private final HeartbeatKey heartbeatKey;
  private final LeaseRenewer renewer;
  private final LongConsumer onLease;
  private volatile long leaseId;
  private long offeredLease;
  private boolean announced;
  private long reportedHolder;
  private long lastWrite;

  HeartbeatLoop(Client client, EtcdEndpoints endpoints, HeartbeatSettings settings, AgentPrinter printer, Clock clock) {
    this(client, endpoints, settings, printer, clock, id -> { });
  }

  /** {@code onLease} is called on this loop's thread and must return at once. */
  HeartbeatLoop(Client client, EtcdEndpoints endpoints, HeartbeatSettings settings, AgentPrinter printer, Clock clock,
      LongConsumer onLease) {
    super("heartbeat", RETRY, endpoints, client);
    this.client = client;
    this.settings = settings;
    this.printer = printer;
    this.clock = clock;
    this.key = Keys.heartbeat(settings.node());
    this.heartbeatKey = new HeartbeatKey(client, key);
    this.renewer = new LeaseRenewer(client.getLeaseClient(), settings.node(), this::isStopping,
        () -> ChannelBackoff.reset(client));
    this.onLease = onLease;
  }

  @Override
  protected void runSession() throws Exception {
    long granted = System.nanoTime();
    LeaseGrantResponse grant = client.getLeaseClient().grant(settings.ttl().toSeconds())
        .get(EtcdClients.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    long id = grant.getID();
    Duration ttl = Duration.ofSeconds(grant.getTTL());
    leaseId = id;
    printer.leaseCreated(grant.getTTL(), id);
    if (!announced) {
      printer.heartbeatKey(settings.node(), key);
      announced = true;
    }
    log.info("lease granted node={} lease={} ttl_s={} mode={}", settings.node(), id, grant.getTTL(), settings.mode());
    if (!beat(id, ttl)) {
      return;
    }
    BlockingQueue<WatchInbox.Item> inbox = new LinkedBlockingQueue<>();
    Watch.Watcher watcher = watchKey(inbox);
    try {
      long every = ttl.toNanos() / 2;
      // Fixed rate from the grant: time spent renewing or writing does not push the next renewal back.
      long next = granted + every;
      while (!isStopping()) {
        WatchInbox.Item item = inbox.poll(Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (item == null) {
          long sent = System.nanoTime();
          next = sent + every;
          String lost = renewer.renew(id);
          if (lost != null) {
            lost(id, lost);
            return;
          }
          if (rewriteDue(sent) && !beat(id, ttl)) {
            return;
          }
          if (watcher == null) {
            watcher = watchKey(inbox);
          }
        } else if (item instanceof WatchInbox.Events events) {
          if (needsWrite(events.response(), id) && !beat(id, ttl)) {
            return;
          }
        } else if (watcher != null) {
          // The watch broke (etcd restarting, no leader): the next beat starts a new one.
          log.info("heartbeat key watch ended node={} reason=\"{}\"", settings.node(),
              item instanceof WatchInbox.Failed f ? EtcdErrors.describe(f.error())
                  : item instanceof WatchInbox.Compacted ? "compacted" : "closed");
          watcher.close();
          watcher = null;
        }
      }
    } finally {
      if (watcher != null) {
        watcher.close();
      }
    }
  }

  /** Whether the value is due for a rewrite at this renewal (always in refresh mode, and whenever the key is not ours). */
  private boolean rewriteDue(long now) {
    return !heartbeatKey.isOwned() || now - lastWrite >= settings.mode().rewriteEvery().toNanos();
  }

  /** Whether a change of the key by someone else calls for a write (deleted: write it again; replaced: check who holds it). */
  private boolean needsWrite(WatchResponse response, long id) {
    boolean write = false;
    for (WatchEvent e : response.getEvents()) {
      if (e.getEventType() == WatchEvent.EventType.DELETE) {
        log.warn("heartbeat key deleted node={} revision={}; writing it again", settings.node(), e.getKeyValue().getModRevision());
        heartbeatKey.markGone();
        write = true;
      } else if (e.getKeyValue().getLease() != id) {
        write = true;
      }
    }
    return write;
  }

  /** Writes a fresh heartbeat if the key is ours or free; false when the lease is gone. Outages are left to the next beat. */
  private boolean beat(long id, Duration ttl) throws InterruptedException {
    try {
      // Bounded well below the TTL so that a write stuck on a frozen member cannot delay the next renewal.
      Duration timeout = ttl.dividedBy(4).compareTo(PUT_TIMEOUT) < 0 ? ttl.dividedBy(4) : PUT_TIMEOUT;
      boolean registering = !heartbeatKey.isOwned();
      switch (heartbeatKey.tryWrite(id, Heartbeat.alive(settings.node(), clock.instant()), timeout)) {
        case WRITTEN -> {
          if (registering) {
            RegistrationKey.put(client, settings.node(), Registration.active(settings.node(), clock.instant()), timeout);
          }
          reportedHolder = 0;
          lastWrite = System.nanoTime();
          printer.sent(settings.node());
          offerLease(id);
        }
        case HELD_BY_OTHER -> {
          // The node's other keys belong to the agent that holds the heartbeat key: leave them alone too.
          offerLease(0);
          conflict();
        }
        case LEASE_GONE -> {
          lost(id, "expired or revoked");
          return false;
        }
      }
      return true;
    } catch (ExecutionException | TimeoutException e) {
      if (!EtcdErrors.isTransient(e)) {
        throw new IllegalStateException("heartbeat write failed: " + EtcdErrors.describe(e), e);
      }
      log.warn("heartbeat write failed node={} lease={} error=\"{}\"; the lease keeps the key until it expires",
          settings.node(), id, EtcdErrors.describe(e));
      return true;
    }
  }

  private void conflict() {
    HeartbeatKey.Holder holder = heartbeatKey.holder();
    if (holder.lease() != reportedHolder) {
      reportedHolder = holder.lease();
      printer.conflict(settings.node(), holder.lease(), holder.value());
      log.error("node name claimed twice node={} other_lease={}; not overwriting its key, waiting for it to go",
          settings.node(), holder.lease());
    }
  }

  private void offerLease(long id) {
    if (id != offeredLease) {
      offeredLease = id;
      onLease.accept(id);
    }
  }

  /** The lease the heartbeat key is bound to now; 0 while there is none. Thread-safe. */
  long leaseId() {
    return leaseId;
  }

  private void lost(long id, String reason) {
    leaseId = 0;
    offerLease(0);
    heartbeatKey.markGone();
    printer.leaseLost(settings.node(), id, reason);
    log.warn("lease lost node={} lease={} reason=\"{}\"", settings.node(), id, reason);
  }

  private Watch.Watcher watchKey(BlockingQueue<WatchInbox.Item> inbox) {
    WatchOption option = WatchOption.builder().withRevision(heartbeatKey.revision() + 1).withRequireLeader(true).build();
    return client.getWatchClient().watch(EtcdClients.bytes(key), option, WatchInbox.into(inbox));
  }

  /**
   * Announces a graceful departure and revokes the lease ({@link Departure}), within {@code deadline}.
   * Call after the loop ended.
   */
  void leave(Deadline deadline) {
    long id = leaseId;
    if (id != 0 && new Departure(client, heartbeatKey, settings.node(), clock, printer).leave(id, deadline)) {
      leaseId = 0;
    }
  }
}
