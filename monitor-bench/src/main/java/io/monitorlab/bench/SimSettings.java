package io.monitorlab.bench;

import java.time.Duration;

/**
 * How simulated agents behave. Immutable.
 *
 * @param ttl the lease TTL asked for
 * @param mode refresh (renew and put every TTL/2) or lease (renew every TTL/2, value every {@code valueEvery})
 * @param valueEvery how often lease mode rewrites the value
 * @param metricsEvery how often each agent puts its metrics value (with a status value at start), bound to its
 *     lease as monitor-agent does; zero: no metrics, no status
 */
record SimSettings(Duration ttl, HeartbeatMode mode, Duration valueEvery, Duration metricsEvery) {
  SimSettings {
    if (ttl.toSeconds() < 2) {
      throw new IllegalArgumentException("--ttl must be at least 2s, got " + ttl.toSeconds() + "s");
    }
    if (valueEvery.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("--value-every must be at least 1s, got " + valueEvery);
    }
    if (!metricsEvery.isZero() && metricsEvery.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("--metrics-every must be at least 1s, got " + DurationConverter.format(metricsEvery));
    }
  }

  /** Agents that publish their heartbeat only. */
  SimSettings(Duration ttl, HeartbeatMode mode, Duration valueEvery) {
    this(ttl, mode, valueEvery, Duration.ZERO);
  }

  boolean metrics() {
    return !metricsEvery.isZero();
  }
}
