package io.monitorlab.agent;

import io.monitorlab.common.AgentStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The agent's status ({@code /monitor/status/<node>}): the config revision in force and when it was
 * applied, the last rejection, version, start time and heartbeat mode. Handed to the publisher at start
 * and on every apply or rejection. Used from the config watcher's thread (and the constructor's).
 */
final class StatusTracker implements ConfigApplier.Listener {
  private final Clock clock;
  private final Consumer<String> publish;
  private AgentStatus status;

  StatusTracker(HeartbeatSettings.Mode mode, java.time.Duration ttl, Clock clock, Consumer<String> publish) {
    this.clock = clock;
    this.publish = publish;
    double now = seconds(clock.instant());
    this.status = new AgentStatus(0, now, null, null, Version.number(), now, mode.name().toLowerCase(java.util.Locale.ROOT),
        ttl.toSeconds());
    publish.accept(status.toJson());
  }

  @Override
  public void applied(long revision) {
    status = status.applied(revision, seconds(clock.instant()));
    publish.accept(status.toJson());
  }

  @Override
  public void rejected(long revision, String reason) {
    status = status.rejected(revision, reason);
    publish.accept(status.toJson());
  }

  AgentStatus current() {
    return status;
  }

  private static double seconds(Instant t) {
    return t.getEpochSecond() + (t.getNano() / 1000) / 1e6;
  }
}
