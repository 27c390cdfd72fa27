package io.monitorlab.bench;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The renewal bookkeeping of a simulated fleet, to tell a DEAD caused by the bench (or etcd) from one
 * caused by the monitor. For each renewal: how late the bench sent it, when etcd answered, and an upper
 * bound of the time between two renewals as etcd applied them (answer time minus the send time of the
 * previous answered renewal). A lease whose bound reached its TTL may have expired without the monitor
 * being at fault: it is "at risk". Used on the sim's loop thread only; not thread-safe.
 */
final class SimRenewals {
  private static final int HISTOGRAM_MS = 10_000;

  private final MsHistogram lag = new MsHistogram(HISTOGRAM_MS);
  private final MsHistogram roundTrip = new MsHistogram(HISTOGRAM_MS);
  private final Set<String> lostNodes = new TreeSet<>();
  private final Set<String> atRiskNodes = new TreeSet<>();
  private long sent;
  private long missed;
  private long unsent;
  private long maxGapNanos;

  /**
   * A renewal due at {@code due} is sent at {@code now} ({@code sent} false: it could not be, which is a miss).
   * The previous renewal still pending a whole period later is a miss too.
   */
  void sending(SimLease a, long due, long now, boolean sent) {
    lag.add(now - due);
    if (a.pendingSince != 0) {
      missed++;
    }
    if (sent) {
      this.sent++;
      a.pendingSince = now;
    } else {
      unsent++;
      missed++;
      a.pendingSince = 0;
    }
    gap(a, now - a.renewedAfter);
  }

  /** etcd answered the renewal sent at {@code sentAt} with {@code ttlSeconds} (0: the lease is gone). */
  void answered(SimLease a, long sentAt, long ttlSeconds, long now) {
    if (a.pendingSince == sentAt) {
      a.pendingSince = 0;
    }
    if (ttlSeconds <= 0) {
      lost(a);
      return;
    }
    roundTrip.add(now - sentAt);
    gap(a, now - a.renewedAfter);
    a.renewedAfter = Math.max(a.renewedAfter, sentAt);
  }

  /** The renewal sent at {@code sentAt} failed (error, timeout, stream broken); a miss unless already counted. */
  void failed(SimLease a, long sentAt) {
    if (a.pendingSince == sentAt) {
      a.pendingSince = 0;
      missed++;
    }
  }

  void lost(SimLease a) {
    if (!a.lost) {
      a.lost = true;
      lostNodes.add(a.node);
    }
  }

  private void gap(SimLease a, long nanos) {
    maxGapNanos = Math.max(maxGapNanos, nanos);
    if (nanos >= a.ttlNanos && !a.atRisk) {
      a.atRisk = true;
      atRiskNodes.add(a.node);
    }
  }

  /** The figures so far; the open gap of every lease still held counts as of {@code now}. */
  SimStats.Renewals stats(Collection<SimLease> held, long now) {
    for (SimLease a : held) {
      gap(a, now - a.renewedAfter);
    }
    return new SimStats.Renewals(sent, roundTrip.count(), missed, unsent, maxGapNanos / 1e6,
        lag.percentileMs(50), lag.percentileMs(99), lag.maxMs(),
        roundTrip.percentileMs(50), roundTrip.percentileMs(99), roundTrip.maxMs(),
        Set.copyOf(lostNodes), Set.copyOf(atRiskNodes));
  }
}
