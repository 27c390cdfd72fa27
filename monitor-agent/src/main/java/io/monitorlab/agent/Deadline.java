package io.monitorlab.agent;

import java.time.Duration;

/**
 * One point in time (System.nanoTime) that a whole shutdown must keep, handed down to each of its
 * steps so that the sum of the steps, not each one, keeps the promise. Immutable.
 *
 * @param atNanos the deadline on the System.nanoTime() clock
 */
record Deadline(long atNanos) {
  static Deadline after(Duration d) {
    return new Deadline(System.nanoTime() + d.toNanos());
  }

  /** The time left, never negative. */
  Duration remaining() {
    return Duration.ofNanos(Math.max(0, atNanos - System.nanoTime()));
  }

  boolean passed() {
    return atNanos - System.nanoTime() <= 0;
  }

  /** A deadline {@code reserve} earlier: what a step may use when later steps need {@code reserve}. */
  Deadline minus(Duration reserve) {
    return new Deadline(atNanos - reserve.toNanos());
  }

  /**
   * A step's share of the time left when {@code steps} steps (this one included) remain: an equal share,
   * but at most {@code atMost} and at least {@code atLeast} (so that a step is still tried).
   */
  Duration share(int steps, Duration atMost, Duration atLeast) {
    long share = remaining().toNanos() / steps;
    return Duration.ofNanos(Math.max(atLeast.toNanos(), Math.min(atMost.toNanos(), share)));
  }
}
