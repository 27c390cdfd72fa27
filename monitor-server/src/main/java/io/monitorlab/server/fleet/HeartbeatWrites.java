package io.monitorlab.server.fleet;

import java.time.Duration;

/**
 * One node's heartbeat writes as the monitor saw them: when the last one was seen (the monitor's
 * clock), its revision, and the cadence the writes show. The cadence is the smallest of the last
 * {@value #KEPT_GAPS} intervals between consecutive values, measured on the node's clock (their
 * {@code ts}; the monitor's clock for values without one, between watched writes only), intervals
 * under {@link #MIN_GAP} left out: those are a key written again after a revocation or a burst, not
 * a cadence. The smallest, because a missed or late write makes one interval longer, never shorter.
 * Pure; times are System.nanoTime values. Not thread-safe: owned by {@link Fleet}.
 */
final class HeartbeatWrites {
  /** {@code heartbeat_mode} of an agent that rewrites its value at every lease renewal (TTL/2). */
  static final String REFRESH = "refresh";
  /** {@code heartbeat_mode} of an agent that renews its lease and rewrites its value every 60 s. */
  static final String LEASE = "lease";
  /** How often a lease-mode agent rewrites its value (monitor-agent's HeartbeatSettings.Mode.LEASE). */
  static final Duration LEASE_CADENCE = Duration.ofSeconds(60);
  /** Up to this, an observed cadence is a refresh cadence even when the agent does not say its mode. */
  static final Duration SHORT_CADENCE = Duration.ofSeconds(10);
  static final Duration MIN_GAP = Duration.ofSeconds(1);
  static final int KEPT_GAPS = 5;

  private final long[] gaps = new long[KEPT_GAPS];
  private int gapCount;
  private int nextGap;
  private boolean seen;
  /** Whether {@link #lastSeen} is when a watch brought the write (a listing only says it happened before). */
  private boolean watched;
  private long lastSeen;
  private long revision;
  private double ts = Double.NaN;

  /**
   * A put of the key seen by the watch at {@code now}, {@code ts} the value's (NaN if none); returns
   * when the previous write was seen, or {@code now} if none was.
   */
  long written(long newRevision, double newTs, long now) {
    long before = seen ? lastSeen : now;
    if (seen) {
      double gapSeconds = !Double.isNaN(ts) && !Double.isNaN(newTs) ? newTs - ts : watched ? (now - lastSeen) / 1e9 : -1;
      if (gapSeconds >= MIN_GAP.toMillis() / 1000.0) {
        gaps[nextGap] = Math.round(gapSeconds * 1e9);
        nextGap = (nextGap + 1) % KEPT_GAPS;
        gapCount = Math.min(gapCount + 1, KEPT_GAPS);
      }
    }
    record(newRevision, newTs, now, true);
    return before;
  }

  /**
   * A listing at {@code now} holds the key at {@code newRevision}; true when it was written since the
   * last write seen (or never seen): the monitor then counts from now, having no better time.
   */
  boolean listed(long newRevision, double newTs, long now) {
    if (seen && newRevision == revision) {
      return false;
    }
    record(newRevision, newTs, now, false);
    return true;
  }

  private void record(long newRevision, double newTs, long now, boolean byWatch) {
    seen = true;
    watched = byWatch;
    lastSeen = now;
    revision = newRevision;
    ts = newTs;
  }

  /** The key is gone: a node that writes it again starts over (a new agent may have a new cadence). */
  void reset() {
    seen = false;
    gapCount = 0;
    nextGap = 0;
    ts = Double.NaN;
  }

  boolean seen() {
    return seen;
  }

  long lastSeen() {
    return lastSeen;
  }

  /** The mod revision of the last write seen. */
  long revision() {
    return revision;
  }

  /** The smallest recent interval between writes; null before two writes were seen. */
  Duration observedCadence() {
    if (gapCount == 0) {
      return null;
    }
    long min = Long.MAX_VALUE;
    for (int i = 0; i < gapCount; i++) {
      min = Math.min(min, gaps[i]);
    }
    return Duration.ofNanos(min);
  }

  /**
   * How often the node is expected to write, given the {@code heartbeat_mode} and the TTL (seconds, 0
   * unknown) its agent states; null when it is not judged. In refresh mode that is half the stated TTL
   * (so a node already stale when the monitor starts is caught), else the observed cadence; never a
   * guess: a refresh-mode node that states no TTL and was seen writing once is not judged. An unknown
   * mode is judged only with a short observed cadence (not a lab agent in lease mode).
   */
  Duration expected(String mode, long ttlSeconds) {
    Duration observed = observedCadence();
    if (LEASE.equals(mode)) {
      return LEASE_CADENCE;
    }
    if (REFRESH.equals(mode)) {
      return ttlSeconds > 0 ? Duration.ofSeconds(ttlSeconds).dividedBy(2) : observed;
    }
    return observed != null && observed.compareTo(SHORT_CADENCE) <= 0 ? observed : null;
  }
}
