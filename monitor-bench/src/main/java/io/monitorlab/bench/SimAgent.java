package io.monitorlab.bench;

import io.monitorlab.common.Keys;
import java.util.concurrent.Future;

/**
 * One simulated agent: its node name, lease and renewal tasks. Written by {@link SimFleet} only.
 * Thread-safe (volatile state).
 */
final class SimAgent {
  private final String node;
  private final String key;
  volatile long leaseId;
  volatile long droppedNanos;
  volatile boolean lost;
  volatile Future<?> renewTask;
  volatile Future<?> valueTask;

  SimAgent(String node) {
    this.node = node;
    this.key = Keys.heartbeat(node);
  }

  String node() {
    return node;
  }

  String key() {
    return key;
  }

  boolean isDropped() {
    return droppedNanos != 0;
  }

  /** Stops every renewal; safe to call more than once. */
  void stopRenewing() {
    Future<?> r = renewTask;
    if (r != null) {
      r.cancel(false);
    }
    Future<?> v = valueTask;
    if (v != null) {
      v.cancel(false);
    }
  }
}
