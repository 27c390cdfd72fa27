package io.monitorlab.server.fleet;

import java.time.Duration;

/**
 * Whether the monitor can see etcd: contact is lost when nothing was heard for longer than a bound
 * (a dead, frozen or cut-off member, no quorum), and restored by the next answer. Pure; times are
 * System.nanoTime() values passed in. Not thread-safe: owned by the monitor loop.
 */
final class Contact {
  enum Change { NONE, LOST, RESTORED }

  private final long lostAfter;
  private long lastHeard;
  private boolean lost;

  Contact(Duration lostAfter, long now) {
    this.lostAfter = lostAfter.toNanos();
    this.lastHeard = now;
  }

  /** etcd answered (a listing, watch events or a progress notification). */
  Change heard(long now) {
    lastHeard = now;
    if (lost) {
      lost = false;
      return Change.RESTORED;
    }
    return Change.NONE;
  }

  /** Called when an answer is overdue or a call failed: LOST once the silence exceeds the bound. */
  Change check(long now) {
    if (!lost && now - lastHeard > lostAfter) {
      lost = true;
      return Change.LOST;
    }
    return Change.NONE;
  }

  /** When etcd last answered (System.nanoTime). */
  long lastHeard() {
    return lastHeard;
  }

  boolean isLost() {
    return lost;
  }

  /** How long nothing was heard. */
  Duration silence(long now) {
    return Duration.ofNanos(Math.max(0, now - lastHeard));
  }
}
