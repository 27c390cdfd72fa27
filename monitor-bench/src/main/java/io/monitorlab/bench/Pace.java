package io.monitorlab.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waiting until an instant on the System.nanoTime() clock. */
final class Pace {
  private Pace() {}

  /** Sleeps until {@code nanos} (System.nanoTime()); returns at once when it has passed. */
  static void until(long nanos) throws InterruptedException {
    long wait = nanos - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  /** What is left until {@code deadline}, never negative. */
  static Duration left(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }
}
