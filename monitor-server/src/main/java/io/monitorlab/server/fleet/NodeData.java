package io.monitorlab.server.fleet;

import io.monitorlab.common.AgentStatus;
import io.monitorlab.common.Heartbeat;
import io.monitorlab.common.Keys;
import io.monitorlab.common.Registration;
import java.util.List;
import java.util.Optional;

/**
 * What the fleet model holds of one node: its state (null while it is not tracked: only a config or
 * leftovers are known) and the latest value of each of its keys. The view is built again only after
 * a change. Not thread-safe: owned by {@link Fleet}.
 */
final class NodeData {
  private static final List<String> PREFIXES =
      List.of(Keys.NODES_PREFIX, Keys.CONFIG_PREFIX, Keys.STATUS_PREFIX, Keys.METRICS_PREFIX);

  final String node;
  NodeState state;
  double since = Double.NaN;
  double lastHeartbeat = Double.NaN;
  JsonText heartbeat;
  long desiredRevision;
  JsonText config;
  AgentStatus status;
  JsonText metrics;
  Registration registration;
  final HeartbeatWrites writes = new HeartbeatWrites();
  /** ALIVE, but its heartbeat value is no longer rewritten on its cadence ({@link StaleCheck}). */
  boolean stale;
  private NodeView view;

  NodeData(String node) {
    this.node = node;
  }

  /** The node a registration, config, status or metrics key belongs to. */
  static Optional<String> nodeOf(String key) {
    for (String prefix : PREFIXES) {
      if (key.startsWith(prefix)) {
        return Keys.nodeOf(prefix, key);
      }
    }
    return Optional.empty();
  }

  void enter(NodeState newState, double at) {
    state = newState;
    since = at;
    if (newState != NodeState.ALIVE) {
      // Stale is a flag of a live node: its death or departure ends it without a FRESH.
      stale = false;
      writes.reset();
    }
    view = null;
  }

  void stale(boolean now) {
    stale = now;
    view = null;
  }

  /** The lease TTL the node's agent states in its status, 0 when unknown. */
  long heartbeatTtl() {
    return status == null ? 0 : status.heartbeatTtl();
  }

  /** The {@code heartbeat_mode} its agent states; null when it has no status key. */
  String heartbeatMode() {
    return status == null ? null : status.heartbeatMode();
  }

  void beat(String value) {
    beat(value, Heartbeat.parse(value).orElse(null));
  }

  void beat(String value, Heartbeat parsed) {
    heartbeat = JsonText.of(value);
    lastHeartbeat = parsed == null ? Double.NaN : parsed.ts();
    view = null;
  }

  /** Applies a put or delete of one of the node's other keys; false when nothing changed. */
  boolean apply(KeyEvent e) {
    String key = e.key();
    if (key.startsWith(Keys.NODES_PREFIX)) {
      Registration r = e.delete() ? null : Registration.parse(e.value())
          .orElse(new Registration(Registration.ACTIVE, Double.NaN, ""));
      boolean changed = !java.util.Objects.equals(r, registration);
      registration = r;
      return changed;
    }
    view = null;
    if (key.startsWith(Keys.CONFIG_PREFIX)) {
      desiredRevision = e.delete() ? 0 : e.modRevision();
      config = e.delete() ? null : JsonText.of(e.value());
    } else if (key.startsWith(Keys.STATUS_PREFIX)) {
      status = e.delete() ? null : AgentStatus.parse(e.value()).orElse(null);
    } else if (key.startsWith(Keys.METRICS_PREFIX)) {
      metrics = e.delete() ? null : JsonText.of(e.value());
    }
    return true;
  }

  /** Replaces the node's other keys with what a listing holds of them; true when the view changed. */
  boolean replace(List<KeyEvent> listed) {
    NodeView before = state == null ? null : view();
    registration = null;
    desiredRevision = 0;
    config = null;
    status = null;
    metrics = null;
    for (KeyEvent e : listed) {
      apply(e);
    }
    view = null;
    return before != null && !before.equals(view());
  }

  NodeView view() {
    if (view == null) {
      view = new NodeView(node, state, since, lastHeartbeat, heartbeat, desiredRevision, config, status, metrics, stale);
    }
    return view;
  }
}
