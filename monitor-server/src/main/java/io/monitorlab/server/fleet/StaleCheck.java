package io.monitorlab.server.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Finds, at most once per {@link #EVERY}, the live nodes whose heartbeat key stays but whose value is
 * no longer rewritten: an ALIVE node is stale when no write of it was seen for more than
 * {@value #FACTOR} of its expected cadences ({@link HeartbeatWrites#expected}) and more than
 * {@link #FLOOR}. etcd 3.4 checks no permission on a lease keepalive, so any client can keep another
 * node's lease alive; and an agent whose writer is stuck may still renew its lease. Either way the key
 * stays and only its value tells: a key kept alive by someone else is not a live node.
 * <p>Three cadences is 1.5 TTL in refresh mode: a node whose lease is not renewed either dies (its key
 * expires after one TTL) before it could look stale. The floor keeps a short hiccup (a leader election,
 * a GC pause of the agent) of a node with a 1 s cadence from being called stale. Silence is counted up
 * to the last answer of etcd (a listing, events or a progress notification), not to the monitor's
 * clock: a monitor that was paused, or whose watch lags, has not seen the writes it was sent yet. It
 * is not counted while etcd is out of sight, nor before contact came back.
 * Pure; times are System.nanoTime values. Not thread-safe: owned by {@link Fleet}.
 */
final class StaleCheck {
  static final Duration EVERY = Duration.ofSeconds(1);
  static final int FACTOR = 3;
  static final Duration FLOOR = Duration.ofSeconds(5);

  /** A node found stale: how long none of its writes was seen, and its expected cadence. */
  record Found(NodeData node, Duration silence, Duration expected) {}

  private long next;
  private long countFrom;

  StaleCheck(long now) {
    this.next = now;
    this.countFrom = now;
  }

  /** The silence of nodes is counted from {@code now} at the most (contact with etcd came back). */
  void restart(long now) {
    countFrom = now;
  }

  /** When the check is due next (System.nanoTime). */
  long nextDeadline() {
    return next;
  }

  /** The silence after which a node with {@code expected} cadence is stale. */
  static Duration limit(Duration expected) {
    Duration factor = expected.multipliedBy(FACTOR);
    return factor.compareTo(FLOOR) > 0 ? factor : FLOOR;
  }

  /**
   * The ALIVE, not yet stale nodes of {@code nodes} that are stale at {@code now}, given {@code heard}:
   * when etcd last answered; empty when the check is not due or etcd is out of sight ({@code lost}).
   */
  List<Found> due(Collection<NodeData> nodes, long now, long heard, boolean lost) {
    if (now - next < 0) {
      return List.of();
    }
    next = now + EVERY.toNanos();
    if (lost) {
      return List.of();
    }
    List<Found> out = new ArrayList<>();
    for (NodeData d : nodes) {
      if (d.state != NodeState.ALIVE || d.stale || !d.writes.seen()) {
        continue;
      }
      Duration expected = d.writes.expected(d.heartbeatMode(), d.heartbeatTtl());
      if (expected == null) {
        continue;
      }
      long from = d.writes.lastSeen() - countFrom > 0 ? d.writes.lastSeen() : countFrom;
      long silence = heard - from;
      if (silence > limit(expected).toNanos()) {
        out.add(new Found(d, Duration.ofNanos(silence), expected));
      }
    }
    return out;
  }
}
