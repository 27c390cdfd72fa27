package io.monitorlab.server.fleet;

import java.util.Locale;

/**
 * What the monitor says of a node. ALIVE: its heartbeat key exists. DEAD: the key went without a
 * graceful departure. LEFT: it announced {@code "leaving"} (or its registration says it left).
 * MISSING: registered, but no heartbeat key when the monitor listed. UNKNOWN: it was ALIVE when the
 * monitor lost sight of etcd.
 */
public enum NodeState {
  ALIVE, DEAD, LEFT, MISSING, UNKNOWN;

  /** The lower-case name used in Prometheus labels. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
