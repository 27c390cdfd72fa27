package io.monitorlab.agent;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.monitorlab.common.Backoff;
import io.monitorlab.common.ChannelBackoff;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.EtcdErrors;
import io.monitorlab.common.SessionLoop;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease of an agent that runs without its heartbeat part ({@code config-watch}): its metrics and
 * status keys must still vanish when the node dies. A session grants a lease with the heartbeat's TTL
 * and renews it every TTL/2, as the heartbeat does; when it is lost the next session grants another.
 * Each new lease (and 0 when it is lost) is offered to {@code onLease}. One loop on one thread;
 * {@link #revoke(Deadline)} runs after it stopped.
 */
final class PublishLease extends SessionLoop {
  private static final Logger log = LoggerFactory.getLogger(PublishLease.class);
  private static final Backoff RETRY = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));

  private final Client client;
  private final String node;
  private final Duration ttl;
  private final LongConsumer onLease;
  private final LeaseRenewer renewer;
  private volatile long leaseId;

  /** {@code onLease} is called on this loop's thread and must return at once. */
  PublishLease(Client client, EtcdEndpoints endpoints, String node, Duration ttl, LongConsumer onLease) {
    super("publish lease", RETRY, endpoints, client);
    this.client = client;
    this.node = node;
    this.ttl = ttl;
    this.onLease = onLease;
    this.renewer = new LeaseRenewer(client.getLeaseClient(), node, this::isStopping, () -> ChannelBackoff.reset(client));
  }

  @Override
  protected void runSession() throws Exception {
    LeaseGrantResponse grant = client.getLeaseClient().grant(ttl.toSeconds())
        .get(EtcdClients.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    long id = grant.getID();
    Duration grantedTtl = Duration.ofSeconds(grant.getTTL());
    leaseId = id;
    onLease.accept(id);
    log.info("publish lease granted node={} lease={} ttl_s={}", node, id, grant.getTTL());
    long every = grantedTtl.toNanos() / 2;
    long next = System.nanoTime() + every;
    while (!sleep(Duration.ofNanos(Math.max(0, next - System.nanoTime())))) {
      long sent = System.nanoTime();
      next = sent + every;
      String lost = renewer.renew(id);
      if (lost != null) {
        leaseId = 0;
        onLease.accept(0);
        log.warn("publish lease lost node={} lease={} reason=\"{}\"; granting another", node, id, lost);
        return;
      }
    }
  }

  /** Revokes the lease, so the keys bound to it vanish at once; bounded by {@code deadline}. Call after the loop ended. */
  void revoke(Deadline deadline) {
    long id = leaseId;
    if (id == 0) {
      return;
    }
    try {
      client.getLeaseClient().revoke(id).get(Math.max(20, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS);
      leaseId = 0;
      log.info("publish lease revoked node={} lease={}", node, id);
    } catch (ExecutionException | TimeoutException e) {
      log.warn("could not revoke the publish lease node={} lease={} error=\"{}\"; it expires by itself within the TTL",
          node, id, EtcdErrors.describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
