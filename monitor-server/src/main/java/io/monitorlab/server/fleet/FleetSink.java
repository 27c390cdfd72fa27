package io.monitorlab.server.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An output of the monitor (console, transition log, HTTP view, Prometheus, alerts). Each sink runs
 * on a thread of its own ({@link SinkRunner}): the loop that detects never waits for it, and a sink
 * that throws loses only that batch. Implementations are called from that one thread only.
 */
public interface FleetSink {
  /** A short name for the sink's thread and logs, e.g. {@code console}. */
  String name();

  /** One observation's events, in order. */
  void accept(List<FleetEvent> events);

  /** How often {@link #tick} is wanted; empty for never. */
  default Optional<Duration> tickEvery() {
    return Optional.empty();
  }

  /** Called every {@link #tickEvery()} (System.nanoTime {@code now}), between batches. */
  default void tick(long now) {}

  /** Called once on the sink's thread after the last batch (flush, close files). */
  default void close() {}
}
