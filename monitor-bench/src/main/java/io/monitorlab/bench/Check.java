package io.monitorlab.bench;

import java.time.Duration;

/** One-line checks of option values; the message names the option, the value and what it expects. */
final class Check {
  private Check() {}

  static void range(String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(option + ": invalid value " + value + ": expected a whole number from " + min + " to " + max);
    }
  }

  static void range(String option, Duration value, Duration min, Duration max) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(option + ": invalid value " + DurationConverter.format(value)
          + ": expected from " + DurationConverter.format(min) + " to " + DurationConverter.format(max));
    }
  }
}
