package io.monitorlab.bench;

import java.time.Duration;

/**
 * How simulated agents behave. Immutable.
 *
 * @param ttl the lease TTL asked for
 * @param mode refresh (renew and put every TTL/2) or lease (renew every TTL/2, value every {@code valueEvery})
 * @param valueEvery how often lease mode rewrites the value
 */
record SimSettings(Duration ttl, HeartbeatMode mode, Duration valueEvery) {
  SimSettings {
    if (ttl.toSeconds() < 2) {
      throw new IllegalArgumentException("--ttl must be at least 2s, got " + ttl.toSeconds() + "s");
    }
    if (valueEvery.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("--value-every must be at least 1s, got " + valueEvery);
    }
  }
}
