package io.monitorlab.server.fleet;

import java.time.Duration;
import java.util.List;

/**
 * What the fleet model reports, in the order it happened. Outputs (console, transition log, HTTP,
 * Prometheus, alerts) consume these; none of them decides anything again.
 */
public sealed interface FleetEvent {

  /**
   * A reportable change of state: {@code reason} decides the state and the words; {@code value} is the
   * heartbeat value exactly as etcd holds it for ALIVE (the console prints it byte for byte), else empty.
   */
  record Transition(NodeView node, Reason reason, long revision, Source source, double at, String value)
      implements FleetEvent {
    public Transition(NodeView node, Reason reason, long revision, Source source, double at) {
      this(node, reason, revision, source, at, "");
    }

    public String name() {
      return node.node();
    }

    public NodeState state() {
      return reason.state();
    }
  }

  /** A node's data changed without a transition (heartbeat refresh, config, status, metrics, UNKNOWN). */
  record NodeChanged(NodeView node) implements FleetEvent {}

  /** A node the monitor no longer tracks (forgotten: no heartbeat and no registration). */
  record NodeForgotten(String node, long revision) implements FleetEvent {}

  /**
   * A deletion of a live node's key that could not be a lease expiry, undone by the node within the
   * grace: not reported as a death.
   */
  record NodeKept(String node, long deleteRevision, long putRevision, Duration after, Duration sinceLastWrite)
      implements FleetEvent {}

  /**
   * A live node's heartbeat key stays but its value is no longer rewritten on its cadence ({@code stale}),
   * or it was written again (not stale; a death or departure ends staleness without this event). Not a
   * state: the node stays ALIVE. Followed by a {@link NodeChanged} with the flag.
   *
   * @param silence how long no write of the node was seen (for a fresh one: before this write)
   * @param expected how often it was expected to write
   * @param revision the mod revision of its last write (for a fresh one: the new write)
   * @param at when it was decided, epoch seconds of the monitor's clock
   */
  record Staleness(NodeView node, boolean stale, Duration silence, Duration expected, long revision, Source source,
      double at) implements FleetEvent {
    public String name() {
      return node.node();
    }

    /** {@code STALE} or {@code FRESH}. */
    public String label() {
      return stale ? "STALE" : "FRESH";
    }

    /** Why, as operators read it (the console, the logs and the transition log show these same words). */
    public String text() {
      return stale ? "heartbeat value not rewritten for " + seconds(silence) + ", expected every " + seconds(expected)
          + ": its lease is kept alive without its agent writing"
          : "heartbeat value rewritten again after " + seconds(silence);
    }

    private static String seconds(Duration d) {
      return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
  }

  /** The monitor lost sight of etcd; {@code unknown} are the nodes that were alive, in name order. */
  record ContactLost(Duration silence, String why, List<String> unknown) implements FleetEvent {}

  /** etcd answers again after {@code silence}. */
  record ContactRestored(Duration silence) implements FleetEvent {}

  /** More than half of the nodes vanished in one observation: a partition is likelier than deaths. */
  record MassVanish(long vanished, int presentBefore) implements FleetEvent {}

  /**
   * A full listing was reconciled; {@code first}: the monitor's first, {@code transitions}: how many
   * transitions it produced; {@code present}: the nodes with a heartbeat key now, in name order.
   */
  record Listed(long revision, int transitions, boolean first, List<String> present) implements FleetEvent {}
}
