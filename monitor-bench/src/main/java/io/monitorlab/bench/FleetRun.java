package io.monitorlab.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one fleet run measured; NaN (or -1) where nothing was measured. Owned by one thread; not thread-safe.
 */
final class FleetRun {
  int size;
  int registered;
  int rampFailures;
  double rampPerSecond;
  /** Agents whose lease the bench held when the monitor started (N unless some were lost during the ramp). */
  int heldAtStart;
  /** The fleet's heartbeat keys in etcd just before the monitor started: what its cold start must list. */
  int keysAtStart;
  int reportedAlive = -1;
  double coldStartMs = Double.NaN;
  double getWatchMs = Double.NaN;
  double monitorRssMaxMb = Double.NaN;
  double monitorRssEndMb = Double.NaN;
  double monitorCpu = Double.NaN;
  double benchCpu = Double.NaN;
  double benchRssMaxMb = Double.NaN;
  int benchThreads = -1;
  double etcdCpu = Double.NaN;
  double etcdRssMaxMb = Double.NaN;
  int falseDead = -1;
  /** DEAD lines for agents whose lease the bench lost or renewed too late: the bench's or etcd's doing. */
  int deadOfBench;
  int left;
  int lostContact;
  boolean monitorDied;
  /** The window was cut short because most leases were lost: the figures cover a shorter time. */
  boolean endedEarly;
  /** The simulated fleet at the end of the run, before its leases were revoked. */
  SimStats sim;
  final Map<String, Double> etcdRates = new LinkedHashMap<>();
  final Map<String, Double> etcdGauges = new LinkedHashMap<>();
}
