package io.monitorlab.server;

import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.cli.Setting;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the monitor process needs, validated once. Immutable.
 *
 * @param statusEvery time between two periodic {@code [Status]} pairs
 * @param transitionLog where to append the transitions as JSON lines, if anywhere
 * @param http where to serve the dashboard, the API and {@code /metrics}, if anywhere
 */
record MonitorSettings(EtcdEndpoints endpoints, Duration statusEvery, Optional<Path> transitionLog,
    Optional<InetSocketAddress> http) {
  static final long MIN_STATUS_EVERY_S = 1;
  static final long MAX_STATUS_EVERY_S = 3600;
  static final Duration DEFAULT_STATUS_EVERY = Duration.ofSeconds(10);

  MonitorSettings {
    long s = statusEvery.toSeconds();
    if (s < MIN_STATUS_EVERY_S || s > MAX_STATUS_EVERY_S) {
      throw new IllegalArgumentException("status period must be " + MIN_STATUS_EVERY_S + "-" + MAX_STATUS_EVERY_S + " s, got " + s);
    }
  }

  /** Parses the status period of {@code --status-every} / {@code STATUS_EVERY}. */
  static Duration statusEvery(Setting s) {
    if (!s.isSet()) {
      return DEFAULT_STATUS_EVERY;
    }
    try {
      long v = Long.parseLong(s.value().trim());
      if (v >= MIN_STATUS_EVERY_S && v <= MAX_STATUS_EVERY_S) {
        return Duration.ofSeconds(v);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw s.invalid("whole seconds from " + MIN_STATUS_EVERY_S + " to " + MAX_STATUS_EVERY_S);
  }

  static Optional<Path> transitionLog(Setting s) {
    return s.isSet() && !s.value().isBlank() ? Optional.of(Path.of(s.value())) : Optional.empty();
  }
}
