package io.monitorlab.agent;

import io.monitorlab.common.NodeNames;
import java.time.Duration;

/**
 * What the heartbeat needs: the node and the lease TTL asked of etcd (etcd may raise it). Immutable.
 */
record HeartbeatSettings(String node, Duration ttl) {
  static final Duration MIN_TTL = Duration.ofSeconds(2);
  static final Duration MAX_TTL = Duration.ofSeconds(3600);

  HeartbeatSettings {
    NodeNames.require(node, "--node");
    if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0 || ttl.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("--ttl: invalid value " + ttl.toSeconds()
          + ": expected whole seconds from 2 to 3600");
    }
  }
}
