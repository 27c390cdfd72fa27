package io.monitorlab.common;

import java.util.Optional;

/** The etcd key layout shared with the Python lab. This class is thread-safe. */
public final class Keys {
  public static final String ROOT = "/monitor/";
  public static final String HEARTBEAT_PREFIX = "/monitor/heartbeat/";
  public static final String CONFIG_PREFIX = "/monitor/config/";
  /** Persistent record of the nodes the monitor expects: outlives leases, removed by {@code forget}. */
  public static final String NODES_PREFIX = "/monitor/nodes/";
  /** The agent's latest metric readings, lease-bound (vanish when the node dies). */
  public static final String METRICS_PREFIX = "/monitor/metrics/";
  /** The agent's status (config revision in force, last rejection, version), lease-bound. */
  public static final String STATUS_PREFIX = "/monitor/status/";

  private Keys() {}

  public static String heartbeat(String node) {
    return HEARTBEAT_PREFIX + NodeNames.require(node, "node");
  }

  public static String config(String node) {
    return CONFIG_PREFIX + NodeNames.require(node, "node");
  }

  public static String registration(String node) {
    return NODES_PREFIX + NodeNames.require(node, "node");
  }

  public static String metrics(String node) {
    return METRICS_PREFIX + NodeNames.require(node, "node");
  }

  public static String status(String node) {
    return STATUS_PREFIX + NodeNames.require(node, "node");
  }

  /**
   * The node part of a key under {@code prefix}, exactly as found (it may break the node-name rule
   * when a foreign writer put it); empty when the key is not under the prefix.
   */
  public static Optional<String> nodeOf(String prefix, String key) {
    if (!key.startsWith(prefix)) {
      return Optional.empty();
    }
    return Optional.of(key.substring(prefix.length()));
  }
}
