package io.monitorlab.agent;

import io.monitorlab.common.NodeNames;
import java.time.Duration;
import java.util.Locale;

/**
 * What the heartbeat needs: the node, the lease TTL asked of etcd (etcd may raise it) and how
 * often the value is rewritten. Immutable.
 */
record HeartbeatSettings(String node, Duration ttl, Mode mode) {
  static final Duration MIN_TTL = Duration.ofSeconds(2);
  static final Duration MAX_TTL = Duration.ofSeconds(3600);

  /** How the value is kept fresh; the lease is renewed every TTL/2 in both. */
  enum Mode {
    /** The lab's: the value (with a fresh {@code ts}) is rewritten every TTL/2. */
    REFRESH(Duration.ZERO),
    /** For large fleets: only the lease is renewed; the value is rewritten every 60 s. */
    LEASE(Duration.ofSeconds(60));

    private final Duration rewriteEvery;

    Mode(Duration rewriteEvery) {
      this.rewriteEvery = rewriteEvery;
    }

    /** The least time between two rewrites of the value (zero: at every renewal). */
    Duration rewriteEvery() {
      return rewriteEvery;
    }

    static Mode parse(String text, String source) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + ": invalid value \"" + text + "\": expected refresh or lease");
      }
    }
  }

  HeartbeatSettings(String node, Duration ttl) {
    this(node, ttl, Mode.REFRESH);
  }

  HeartbeatSettings {
    NodeNames.require(node, "--node");
    if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0 || ttl.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("--ttl: invalid value " + ttl.toSeconds()
          + ": expected whole seconds from 2 to 3600");
    }
  }
}
