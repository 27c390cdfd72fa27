package io.monitorlab.server.fleet;

/**
 * Why a node changed state, decided once by the model; every output renders this same reason
 * (console, transition log, API, alerts).
 */
public enum Reason {
  /** Its heartbeat key was written (first seen, or back). */
  WRITTEN(NodeState.ALIVE, "heartbeat key written"),
  /** Its heartbeat key was there when the monitor listed. */
  LISTED(NodeState.ALIVE, "heartbeat key listed"),
  /** Its key was deleted without a graceful departure: the lease expired (or was revoked). */
  EXPIRED(NodeState.DEAD, "lease expired"),
  /** Its key was gone when the monitor listed again (after compaction or a restart of the watch). */
  RELISTED(NodeState.DEAD, "heartbeat key missing when listed again"),
  /** Registered, but without a heartbeat key when listed: it died while nobody watched. */
  MISSING(NodeState.MISSING, "registered but no heartbeat key"),
  /** It announced {@code "leaving"} and then its key went. */
  LEFT(NodeState.LEFT, "graceful shutdown");

  private final NodeState state;
  private final String text;

  Reason(NodeState state, String text) {
    this.state = state;
    this.text = text;
  }

  public NodeState state() {
    return state;
  }

  /** The reason as operators read it, e.g. {@code lease expired}. */
  public String text() {
    return text;
  }
}
