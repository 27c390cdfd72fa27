package io.monitorlab.bench;

import java.time.Duration;

/**
 * How simulated agents behave. Immutable.
 *
 * @param ttl the lease TTL asked for
 * @param mode refresh (put every TTL/2) or lease (keepalive only, value every {@code valueEvery})
 * @param renewal {@link Renewal#AGENT_LIKE} renews like monitor-agent (one keepalive every TTL/2);
 *     {@link Renewal#STREAM} uses jetcd's keepalive stream (every TTL/3, one stream for all leases)
 * @param valueEvery how often lease mode rewrites the value
 */
record SimSettings(Duration ttl, HeartbeatMode mode, Renewal renewal, Duration valueEvery) {
  enum Renewal { AGENT_LIKE, STREAM }

  SimSettings {
    if (ttl.toSeconds() < 2) {
      throw new IllegalArgumentException("--ttl must be at least 2s, got " + ttl.toSeconds() + "s");
    }
    if (valueEvery.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("--value-every must be at least 1s, got " + valueEvery);
    }
  }
}
