package io.monitorlab.agent;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Prints an {@code Iteration} line per configured interval. A config update shortens the wait at
 * once: the next iteration comes no later than the new interval after the update.
 * One loop on one thread; start and stop are thread-safe.
 */
final class WorkLoop implements Runnable {
  private final ConfigState state;
  private final AgentPrinter printer;
  private final AtomicBoolean stopping = new AtomicBoolean();

  WorkLoop(ConfigState state, AgentPrinter printer) {
    this.state = state;
    this.printer = printer;
  }

  @Override
  public void run() {
    long iteration = 0;
    try {
      if (!state.awaitLoaded()) {
        return;
      }
      while (!stopping.get()) {
        ConfigState.Snapshot snap = state.current();
        printer.iteration(++iteration, snap.config());
        waitForNext(snap);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void waitForNext(ConfigState.Snapshot startedWith) throws InterruptedException {
    long deadline = System.nanoTime() + startedWith.config().interval().toNanos();
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
