package io.monitorlab.it.support;

import java.time.Duration;
import java.util.Locale;

/** Formats and reports measured durations, so that they show in the build log. */
public final class Timing {
  private Timing() {}

  /** {@code 1.234 s}. */
  public static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
  }

  /** Prints {@code [e2e timing] what: 1.234 s (bound 6.000 s)} to stdout and returns {@code d}. */
  public static Duration report(String what, Duration d, Duration bound) {
    System.out.println("[e2e timing] " + what + ": " + seconds(d) + " (bound " + seconds(bound) + ")");
    return d;
  }

  /** The time between two System.nanoTime() readings. */
  public static Duration between(long fromNanos, long toNanos) {
    return Duration.ofNanos(toNanos - fromNanos);
  }
}
