package io.monitorlab.server.fleet;

import java.util.List;
import java.util.OptionalLong;

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

  /**
   * When {@link #tick} is wanted next (System.nanoTime), asked again after every batch and tick;
   * empty for never. A sink that wakes only when it has something to do keeps an idle monitor idle.
   */
  default OptionalLong nextTick() {
    return OptionalLong.empty();
  }

  /** Called once {@link #nextTick()} has come (System.nanoTime {@code now}), between batches. */
  default void tick(long now) {}

  /** Called once on the sink's thread after the last batch (flush, close files). */
  default void close() {}
}
