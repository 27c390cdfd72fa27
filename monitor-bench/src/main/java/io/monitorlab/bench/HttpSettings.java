package io.monitorlab.bench;

import java.time.Duration;
import java.util.List;

/**
 * The http group's settings. Immutable.
 *
 * @param agents simulated agents (lease mode) publishing metrics
 * @param duration the steady window, during which the probes run
 * @param metricsEvery how often each agent puts its metrics value
 * @param requests sequential requests per path (GET /metrics, GET /api/v1/nodes)
 * @param requestGap pause between two requests
 * @param sseSamples transitions timed to the SSE client (half ALIVE, half DEAD)
 * @param sseEvery the pace of the changes that make them
 * @param rampRate grants per second while the fleet registers
 * @param etcdPid etcd's process id on this machine, or 0 when unknown
 * @param compactEvery how often etcd's history is compacted; zero: never
 */
record HttpSettings(int agents, Duration duration, Duration metricsEvery, int requests, Duration requestGap, int sseSamples,
    Duration sseEvery, int rampRate, long etcdPid, Duration compactEvery) {
  /** How often lease-mode agents rewrite their heartbeat value, as in the fleet group. */
  static final Duration VALUE_EVERY = Duration.ofSeconds(60);

  HttpSettings {
    Check.range("--agents", agents, 1, 100_000);
    Check.range("--duration", duration, Duration.ofSeconds(10), Duration.ofHours(24));
    Check.range("--metrics-every", metricsEvery, Duration.ofSeconds(1), Duration.ofHours(1));
    Check.range("--requests", requests, 1, 100_000);
    Check.range("--request-gap", requestGap, Duration.ZERO, Duration.ofMinutes(1));
    Check.range("--sse-samples", sseSamples, 2, 100_000);
    Check.range("--sse-every", sseEvery, Duration.ofMillis(10), Duration.ofMinutes(1));
    Check.range("--ramp-rate", rampRate, 1, 1000);
    Check.range("--etcd-pid", etcdPid, 0, Integer.MAX_VALUE);
    if (!compactEvery.isZero()) {
      Check.range("--compact-every", compactEvery, Duration.ofSeconds(10), Duration.ofHours(1));
    }
  }

  /** The fleet run underneath: one size, lease mode, stream renewals, with metrics. */
  FleetSettings fleet() {
    return new FleetSettings(List.of(agents), duration, List.of(HeartbeatMode.LEASE), rampRate, VALUE_EVERY, etcdPid,
        compactEvery, FleetSim.Renewal.STREAM, metricsEvery);
  }
}
