package io.monitorlab.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one fleet run measured. Owned by one thread; not thread-safe.
 */
final class FleetRun {
  int registered;
  int rampFailures;
  double rampPerSecond;
  int reportedAlive = -1;
  double coldStartMs = Double.NaN;
  double getWatchMs = Double.NaN;
  double monitorRssMaxMb = Double.NaN;
  double monitorCpu = Double.NaN;
  double benchCpu = Double.NaN;
  double etcdCpu = Double.NaN;
  double etcdRssMaxMb = Double.NaN;
  int falseDead = -1;
  int deadOfLostLeases;
  int left;
  long leasesLost;
  long putFailures;
  long renewFailures;
  long stalls;
  boolean monitorDied;
  final Map<String, Double> etcdRates = new LinkedHashMap<>();
}
