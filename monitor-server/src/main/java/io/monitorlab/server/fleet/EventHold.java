package io.monitorlab.server.fleet;

import io.monitorlab.common.Heartbeat;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Passes heartbeat events on in etcd's order, except that it holds back, for a short grace, the
 * deletion of a live node's key that cannot be a lease expiry: the node wrote its key on a steady
 * 1-10 s cadence and the deletion came less than 1.5 cadences after its last write, while an expiry
 * comes no sooner than a whole TTL (two cadences) after the last renewal. etcd before 3.4.28 / 3.5.11
 * revokes such leases when a frozen leader resumes (etcd-io/etcd#15247); the agent then registers
 * again within a second. If the node writes its key again within the grace the deletion is dropped
 * and reported as {@link Kept}; otherwise it is passed on as it came. Events behind a held one wait
 * with it, so the order stays etcd's. Nodes rewriting rarely (lease mode) are never held.
 * Pure: the caller passes the time. Not thread-safe: owned by the monitor loop.
 */
final class EventHold {
  /**
   * A put or delete of {@code node}'s heartbeat key; {@code value} is empty for a delete, and
   * {@code heartbeat} is the value parsed once (null for a delete or a value that is not a heartbeat).
   */
  record Event(String node, boolean delete, String value, long revision, Heartbeat heartbeat) {
    Event(String node, boolean delete, String value, long revision) {
      this(node, delete, value, revision, delete ? null : Heartbeat.parse(value).orElse(null));
    }

    boolean leaving() {
      return heartbeat != null && heartbeat.isLeaving();
    }
  }

  /** A held deletion the node undid by writing its key again {@code after} the deletion arrived. */
  record Kept(String node, long deleteRevision, long putRevision, Duration after, Duration sinceLastWrite) {}

  private static final double MIN_CADENCE_S = 1.0;
  private static final double MAX_CADENCE_S = 10.0;

  private final long graceNanos;
  private final Deque<Held> queue = new ArrayDeque<>();
  private final Map<String, Writes> writes = new HashMap<>();
  private final List<Kept> kept = new ArrayList<>();

  /**
   * The node's last heartbeat time ({@code ts}, seconds since the epoch, on the node's clock) and its
   * steady cadence (0 when unknown). A quicker write (a key written again after a deletion) keeps the
   * cadence; a slower one (lease mode) forgets it.
   */
  private record Writes(double last, double cadence, boolean leaving) {}

  private static final class Held {
    final Event event;
    final long until;
    final double sinceLastWrite;
    boolean dropped;

    Held(Event event, long until, double sinceLastWrite) {
      this.event = event;
      this.until = until;
      this.sinceLastWrite = sinceLastWrite;
    }
  }

  EventHold(Duration grace) {
    this.graceNanos = grace.toNanos();
  }

  /**
   * Takes an event that arrived at {@code now} (System.nanoTime) and {@code wallSeconds} (the
   * monitor's clock, seconds since the epoch); returns the events to apply now, in order.
   */
  List<Event> offer(Event e, long now, double wallSeconds) {
    if (e.delete()) {
      double since = sinceLastWriteIfEarly(e.node(), wallSeconds);
      queue.add(new Held(e, since >= 0 ? now + graceNanos : now, since));
      if (since < 0) {
        writes.remove(e.node());
      }
    } else {
      rescue(e, now);
      record(e);
      queue.add(new Held(e, now, -1));
    }
    return release(now);
  }

  /** The events whose hold ended by {@code now} (and all behind them that need no hold), in order. */
  List<Event> release(long now) {
    return release(now, false);
  }

  /** Everything held, at once and in order (before a full listing replaces what the events say). */
  List<Event> releaseAll() {
    return release(0, true);
  }

  private List<Event> release(long now, boolean all) {
    List<Event> out = new ArrayList<>();
    while (!queue.isEmpty()) {
      Held head = queue.peekFirst();
      if (!all && !head.dropped && head.until - now > 0) {
        break;
      }
      queue.removeFirst();
      if (!head.dropped) {
        if (head.event.delete()) {
          writes.remove(head.event.node());
        }
        out.add(head.event);
      }
    }
    return out;
  }

  /** When the first held event is due (System.nanoTime), if one is held. */
  OptionalLong nextDeadline() {
    return queue.isEmpty() ? OptionalLong.empty() : OptionalLong.of(queue.peekFirst().until);
  }

  /** The deletions dropped since the last call. */
  List<Kept> drainKept() {
    List<Kept> out = List.copyOf(kept);
    kept.clear();
    return out;
  }

  /** Seconds since the node's last write when a deletion now cannot be an expiry; -1 otherwise. */
  private double sinceLastWriteIfEarly(String node, double wallSeconds) {
    Writes w = writes.get(node);
    if (w == null || w.leaving() || w.cadence() <= 0) {
      return -1;
    }
    double since = wallSeconds - w.last();
    return since < 1.5 * w.cadence() ? Math.max(0, since) : -1;
  }

  private void rescue(Event put, long now) {
    for (Held h : queue) {
      if (!h.dropped && h.sinceLastWrite >= 0 && h.event.node().equals(put.node())) {
        h.dropped = true;
        kept.add(new Kept(put.node(), h.event.revision(), put.revision(),
            Duration.ofNanos(now - (h.until - graceNanos)), Duration.ofMillis(Math.round(h.sinceLastWrite * 1000))));
      }
    }
  }

  private void record(Event put) {
    Heartbeat hb = put.heartbeat();
    if (hb == null) {
      writes.remove(put.node());
      return;
    }
    Writes before = writes.get(put.node());
    double cadence = 0;
    if (before != null) {
      double gap = hb.ts() - before.last();
      cadence = gap < MIN_CADENCE_S ? before.cadence() : gap <= MAX_CADENCE_S ? gap : 0;
    }
    writes.put(put.node(), new Writes(hb.ts(), cadence, hb.isLeaving()));
  }
}
