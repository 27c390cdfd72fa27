package io.monitorlab.bench;

import java.time.Duration;
import java.util.List;

/**
 * The fleet group's settings. Immutable.
 *
 * @param sizes fleet sizes to run, e.g. 1000, 5000, 10000
 * @param duration how long each fleet runs once the monitor is up
 * @param modes heartbeat modes to run
 * @param rampRate grants per second while the fleet registers
 * @param valueEvery how often lease mode rewrites the value
 * @param etcdPid etcd's process id on this machine, for its CPU and RSS, or 0 when unknown
 * @param compactEvery how often to compact etcd's history to the previous tick's revision; zero: never
 * @param renewal how simulated agents send their renewals
 * @param metricsEvery how often each simulated agent puts a metrics value; zero: none (the fleet group)
 */
record FleetSettings(List<Integer> sizes, Duration duration, List<HeartbeatMode> modes, int rampRate, Duration valueEvery,
    long etcdPid, Duration compactEvery, FleetSim.Renewal renewal, Duration metricsEvery) {
  FleetSettings {
    sizes = List.copyOf(sizes);
    modes = List.copyOf(modes);
    if (sizes.isEmpty()) {
      throw new IllegalArgumentException("--agents: no fleet size given: expected e.g. 1000,5000,10000");
    }
    for (int n : sizes) {
      Check.range("--agents", n, 1, 100_000);
    }
    Check.range("--duration", duration, Duration.ofSeconds(10), Duration.ofHours(24));
    Check.range("--ramp-rate", rampRate, 1, 1000);
    Check.range("--value-every", valueEvery, Duration.ofSeconds(1), Duration.ofHours(1));
    Check.range("--etcd-pid", etcdPid, 0, Integer.MAX_VALUE);
    if (!compactEvery.isZero()) {
      Check.range("--compact-every", compactEvery, Duration.ofSeconds(10), Duration.ofHours(1));
    }
    if (!metricsEvery.isZero()) {
      Check.range("--metrics-every", metricsEvery, Duration.ofSeconds(1), Duration.ofHours(1));
    }
  }

  /** Simulated agents that publish heartbeats only (the fleet group). */
  FleetSettings(List<Integer> sizes, Duration duration, List<HeartbeatMode> modes, int rampRate, Duration valueEvery,
      long etcdPid, Duration compactEvery, FleetSim.Renewal renewal) {
    this(sizes, duration, modes, rampRate, valueEvery, etcdPid, compactEvery, renewal, Duration.ZERO);
  }
}
