package io.monitorlab.server.web;

import java.nio.charset.StandardCharsets;

/**
 * The per-node metric families of DESIGN.md ("Prometheus metrics" and the agents' network rates), in
 * the order a scrape writes them (by name, as the Prometheus client orders families).
 */
enum NodeFamily {
  CONFIG_APPLIED_REVISION("monitor_node_config_applied_revision", "gauge",
      "etcd revision of the config the node's agent applied (0: the default)"),
  CPU_USAGE_RATIO("monitor_node_cpu_usage_ratio", "gauge", "Busy ratio of the node's CPUs over the agent's last interval"),
  FILESYSTEM_AVAIL_BYTES("monitor_node_filesystem_avail_bytes", "gauge",
      "Space available to unprivileged users on a filesystem of the node, as df shows it"),
  FILESYSTEM_SIZE_BYTES("monitor_node_filesystem_size_bytes", "gauge", "Size of a filesystem of the node"),
  LAST_HEARTBEAT("monitor_node_last_heartbeat_timestamp_seconds", "gauge",
      "ts of the node's last heartbeat value, seconds since the epoch"),
  LOAD1("monitor_node_load1", "gauge", "1-minute load average of the node"),
  MEMORY_AVAILABLE_BYTES("monitor_node_memory_available_bytes", "gauge", "MemAvailable of the node"),
  MEMORY_TOTAL_BYTES("monitor_node_memory_total_bytes", "gauge", "MemTotal of the node"),
  NETWORK_RECEIVE("monitor_node_network_receive_bytes_per_second", "gauge",
      "Bytes received per second on a network interface over the agent's last interval"),
  NETWORK_TRANSMIT("monitor_node_network_transmit_bytes_per_second", "gauge",
      "Bytes sent per second on a network interface over the agent's last interval"),
  STALE("monitor_node_stale", "gauge",
      "1 while the node is ALIVE but its heartbeat value is not rewritten on its cadence (its lease kept alive without its agent writing), else 0"),
  STATE("monitor_node_state", "gauge", "1 for the node's state, 0 for the others"),
  STATE_CHANGE("monitor_node_state_change_timestamp_seconds", "gauge",
      "When the node entered its state, seconds since the epoch"),
  TRANSITIONS("monitor_node_transitions_total", "counter", "Transitions of the node to each state seen by this monitor"),
  UP("monitor_node_up", "gauge", "1 if the node is ALIVE, else 0");

  static final NodeFamily[] ALL = values();

  final String metric;
  private final byte[] header;

  NodeFamily(String metric, String type, String help) {
    this.metric = metric;
    this.header = ("# HELP " + metric + " " + help + "\n# TYPE " + metric + " " + type + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The {@code # HELP} and {@code # TYPE} lines (the help texts need no escaping). */
  byte[] header() {
    return header;
  }
}
