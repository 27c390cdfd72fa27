package io.monitorlab.bench;

import java.util.Set;

/**
 * What a {@link FleetSim} did so far. Immutable.
 *
 * @param held agents whose lease the bench still holds (registered and not lost)
 * @param renewals the keepalive side
 * @param puts heartbeat values written (after registration), excluding the skipped ones
 * @param putFailures puts that failed or timed out (other than "lease not found", which counts as lost)
 * @param putsSkipped puts not sent because too many were in flight
 * @param metrics the metrics value puts (none unless the agents publish metrics)
 */
record SimStats(int held, Renewals renewals, long puts, long putFailures, long putsSkipped, Puts metrics) {

  /**
   * Puts of one kind of value.
   *
   * @param sent puts sent
   * @param failures puts that failed or timed out (other than "lease not found")
   * @param skipped puts not sent because too many were in flight
   */
  record Puts(long sent, long failures, long skipped) {}

  /**
   * The renewals.
   *
   * @param sent renewals sent
   * @param answered renewals etcd answered
   * @param missed renewals that failed or got no answer before the next fell due (TTL/2 later)
   * @param unsent renewals not sent because too many were in flight
   * @param maxGapMs the largest bound of the time between two renewals of a lease as etcd applied them
   * @param lagP50Ms how late the bench sent renewals, median (whole ms, rounded up)
   * @param lagP99Ms the same, 99th percentile
   * @param lagMaxMs the same, maximum
   * @param rttP50Ms send -> etcd's answer, median
   * @param rttP99Ms the same, 99th percentile
   * @param rttMaxMs the same, maximum
   * @param lostNodes agents whose lease etcd reported gone although the bench never let it go
   * @param atRiskNodes agents whose renewal gap reached the TTL: a DEAD for them is the bench's or etcd's doing
   */
  record Renewals(long sent, long answered, long missed, long unsent, double maxGapMs, double lagP50Ms, double lagP99Ms,
      double lagMaxMs, double rttP50Ms, double rttP99Ms, double rttMaxMs, Set<String> lostNodes, Set<String> atRiskNodes) {
    Renewals {
      lostNodes = Set.copyOf(lostNodes);
      atRiskNodes = Set.copyOf(atRiskNodes);
    }
  }
}
