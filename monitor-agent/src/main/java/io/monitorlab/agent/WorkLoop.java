package io.monitorlab.agent;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Prints an {@code Iteration} line per configured interval, then collects the configured metrics,
 * prints their {@code [Metrics]} line and hands the value to the publisher. A config update shortens the wait at
 * once: the next iteration comes no later than the new interval after the update.
 * One loop on one thread; start and stop are thread-safe.
 */
final class WorkLoop implements Runnable {
  private final ConfigState state;
  private final AgentPrinter printer;
  private final MetricsCollector metrics;
  private final Consumer<String> publish;
  private final AtomicBoolean stopping = new AtomicBoolean();

  /** {@code publish} takes each iteration's metrics value and must return at once. */
  WorkLoop(ConfigState state, AgentPrinter printer, MetricsCollector metrics, Consumer<String> publish) {
    this.state = state;
    this.printer = printer;
    this.metrics = metrics;
    this.publish = publish;
  }

  @Override
  public void run() {
    long iteration = 0;
    long noticedVersion = -1;
    try {
      if (!state.awaitLoaded()) {
        return;
      }
      while (!stopping.get()) {
        ConfigState.Snapshot snap = state.current();
        long started = System.nanoTime();
        if (snap.version() != noticedVersion) {
          // Once per config, before its first iteration: the Iteration line is followed by exactly one [Metrics] line.
          noticedVersion = snap.version();
          for (String name : MetricsCollector.unknown(snap.config().metrics())) {
            printer.metricsLine(MetricsCollector.unknownLine(name));
          }
        }
        printer.iteration(++iteration, snap.config());
        MetricsCollector.Reading reading = metrics.collect(snap.config().metrics());
        printer.metricsLine(reading.line());
        publish.accept(reading.json());
        waitForNext(snap, started);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits out the interval counted from the iteration's start, so that collecting does not stretch it. */
  private void waitForNext(ConfigState.Snapshot startedWith, long started) throws InterruptedException {
    long deadline = started + startedWith.config().interval().toNanos();
    ConfigState.Snapshot seen = startedWith;
    while (!stopping.get() && System.nanoTime() - deadline < 0) {
      ConfigState.Snapshot now = state.awaitChange(seen.version(), deadline);
      if (now.version() != seen.version()) {
        long byNewInterval = now.changedAtNanos() + now.config().interval().toNanos();
        if (byNewInterval - deadline < 0) {
          deadline = byNewInterval;
        }
        seen = now;
      }
    }
  }

  void stop() {
    stopping.set(true);
    state.close();
  }
}
