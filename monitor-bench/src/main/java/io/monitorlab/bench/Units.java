package io.monitorlab.bench;

import java.util.Locale;

/** Formats a value with its unit for the result table. Thread-safe. */
final class Units {
  static final String MS = "ms";
  static final String US = "µs";
  static final String MB = "MB";
  static final String PERCENT = "%";
  static final String COUNT = "";
  static final String PER_SECOND = "/s";

  private Units() {}

  static String format(double value, String unit) {
    return switch (unit) {
      case MS -> Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%.0f ms", value)
          : String.format(Locale.ROOT, "%.1f ms", value);
      case US -> String.format(Locale.ROOT, "%.0f µs", value);
      case MB -> String.format(Locale.ROOT, "%.1f MB", value);
      case PERCENT -> String.format(Locale.ROOT, "%.2f %%", value);
      case PER_SECOND -> String.format(Locale.ROOT, "%.1f/s", value);
      default -> value == Math.rint(value) && Math.abs(value) < 1e15
          ? String.format(Locale.ROOT, "%d%s", (long) value, unit.isEmpty() ? "" : " " + unit)
          : String.format(Locale.ROOT, "%.2f%s", value, unit.isEmpty() ? "" : " " + unit);
    };
  }
}
