package io.monitorlab.agent;

import io.etcd.jetcd.Client;
import io.monitorlab.common.EtcdErrors;
import io.monitorlab.common.Heartbeat;
import io.monitorlab.common.Registration;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A graceful departure of the heartbeat: {@code "status": "leaving"} written over the agent's own key,
 * the registration marked as left, and the lease revoked, each step bounded by its share of the time left
 * until one deadline, so that the whole stop keeps its promise. Used once, by the thread that closes the
 * agent, after the heartbeat loop ended.
 */
final class Departure {
  private static final Logger log = LoggerFactory.getLogger(Departure.class);
  /** The most one step may take when the whole stop has time to spare. */
  private static final Duration STEP_AT_MOST = Duration.ofMillis(700);
  /** Every step is still tried when the deadline is (nearly) gone; the client's share absorbs these. */
  private static final Duration STEP_AT_LEAST = Duration.ofMillis(20);

  private final Client client;
  private final HeartbeatKey key;
  private final String node;
  private final Clock clock;
  private final AgentPrinter printer;

  Departure(Client client, HeartbeatKey key, String node, Clock clock, AgentPrinter printer) {
    this.client = client;
    this.key = key;
    this.node = node;
    this.clock = clock;
    this.printer = printer;
  }

  /** Leaves under {@code lease}; true when the lease was revoked. */
  boolean leave(long lease, Deadline deadline) {
    try {
      if (key.isOwned() && announce(lease, deadline)) {
        printer.leaving(node);
      }
      // Revoked even when the announcement failed: the node's keys go now instead of after the TTL.
      client.getLeaseClient().revoke(lease).get(step(deadline, 1).toMillis(), TimeUnit.MILLISECONDS);
      log.info("lease revoked node={} lease={}", node, lease);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      log.warn("could not revoke the lease node={} lease={} error=\"{}\"; it expires by itself within the TTL",
          node, lease, EtcdErrors.describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** Writes {@code "status": "leaving"}, then the registration's departure; false when the first did not happen in time. */
  private boolean announce(long lease, Deadline deadline) throws InterruptedException {
    try {
      if (key.tryWrite(lease, Heartbeat.leaving(node, clock.instant()), step(deadline, 3)) != HeartbeatKey.Outcome.WRITTEN) {
        return false;
      }
    } catch (ExecutionException | TimeoutException e) {
      log.warn("could not announce the departure node={} lease={} error=\"{}\"; revoking the lease anyway",
          node, lease, EtcdErrors.describe(e));
      return false;
    }
    try {
      RegistrationKey.put(client, node, Registration.left(node, clock.instant()), step(deadline, 2));
    } catch (ExecutionException | TimeoutException e) {
      log.warn("could not record the departure node={} error=\"{}\"; the monitor sees the leaving heartbeat",
          node, EtcdErrors.describe(e));
    }
    return true;
  }

  /** A step's share of what is left until {@code deadline} when {@code steps} remain. */
  private static Duration step(Deadline deadline, int steps) {
    return deadline.share(steps, STEP_AT_MOST, STEP_AT_LEAST);
  }
}
