package io.monitorlab.server.fleet;

import io.monitorlab.common.AgentStatus;

/**
 * What the monitor knows of one node at one moment. Immutable.
 *
 * @param node the name exactly as found in the key (it may break the naming rule: escape it to print)
 * @param state the state now (UNKNOWN while the monitor cannot see etcd and the node was ALIVE)
 * @param since epoch seconds of the monitor's clock when the node entered its state; NaN if unknown
 * @param lastHeartbeat the {@code ts} of its last heartbeat value (the node's clock); NaN if none
 * @param heartbeat its heartbeat value (a JSON string when it is not JSON); null if none
 * @param desiredRevision mod revision of {@code /monitor/config/<node>}; 0 when there is no config key
 * @param config the config value; null when there is no key
 * @param status what the agent says of itself ({@code /monitor/status/<node>}); null if absent
 * @param metrics its latest metrics value ({@code /monitor/metrics/<node>}); null if absent
 * @param stale its key stays (ALIVE, or UNKNOWN since) but its value is no longer rewritten on its
 *     cadence: its lease is kept alive without its agent writing (never set for other states)
 */
public record NodeView(String node, NodeState state, double since, double lastHeartbeat, JsonText heartbeat,
    long desiredRevision, JsonText config, AgentStatus status, JsonText metrics, boolean stale) {

  /** A node that is not stale. */
  public NodeView(String node, NodeState state, double since, double lastHeartbeat, JsonText heartbeat,
      long desiredRevision, JsonText config, AgentStatus status, JsonText metrics) {
    this(node, state, since, lastHeartbeat, heartbeat, desiredRevision, config, status, metrics, false);
  }

  NodeView withState(NodeState newState) {
    return new NodeView(node, newState, since, lastHeartbeat, heartbeat, desiredRevision, config, status, metrics, stale);
  }
}
