package io.monitorlab.agent;

/**
 * Fixed-point text of a number ({@code 12.3}, {@code 0.40}), for the {@code [Metrics]} line: what
 * {@code String.format("%.1f")} writes, without parsing a format string with a regex every iteration.
 * This class is thread-safe.
 */
final class Decimals {
  private static final long[] SCALE = {1, 10, 100, 1000};

  private Decimals() {}

  /** {@code value} rounded half up to {@code digits} (0-3) decimals. */
  static String fixed(double value, int digits) {
    if (!Double.isFinite(value) || Math.abs(value) >= 1e15) {
      return String.valueOf(value);
    }
    long scale = SCALE[digits];
    long scaled = Math.round(Math.abs(value) * scale);
    StringBuilder b = new StringBuilder(24);
    if (value < 0 && scaled != 0) {
      b.append('-');
    }
    b.append(scaled / scale);
    if (digits > 0) {
      String fraction = Long.toString(scaled % scale);
      b.append('.');
      for (int i = fraction.length(); i < digits; i++) {
        b.append('0');
      }
      b.append(fraction);
    }
    return b.toString();
  }
}
