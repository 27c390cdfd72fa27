package io.monitorlab.it.support;

import java.time.Duration;

/**
 * One captured console line: the stream it came from, its position there, its text and the
 * {@link System#nanoTime()} at which it arrived. Immutable.
 */
public record Line(Stream stream, int index, String text, long nanos) {
  /** Which output of a process a line came from. */
  public enum Stream { STDOUT, STDERR }

  /** The time from {@code t0Nanos} (System.nanoTime()) to this line's arrival. */
  public Duration since(long t0Nanos) {
    return Duration.ofNanos(nanos - t0Nanos);
  }
}
