package io.monitorlab.common;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter between {@code first} and {@code max}. This class is thread-safe.
 *
 * @param first delay after the first failure; also the pause (halved) after a clean session end
 * @param max the longest delay
 */
public record Backoff(Duration first, Duration max) {
  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));

  public Backoff {
    if (first.isNegative() || first.isZero()) {
      throw new IllegalArgumentException("backoff first delay must be > 0, got " + first);
    }
    if (max.compareTo(first) < 0) {
      throw new IllegalArgumentException("backoff max must be >= first delay, got " + max + " < " + first);
    }
  }

  /** The pause before the next attempt after {@code failures} consecutive failures (0 after a clean end). */
  public Duration delay(int failures) {
    if (failures <= 0) {
      return Duration.ofNanos(jitter(first.toNanos() / 2));
    }
    long maxNanos = nanos(max);
    long nanos = nanos(first);
    for (int i = 1; i < failures && nanos < maxNanos; i++) {
      nanos = nanos > maxNanos / 2 ? maxNanos : nanos * 2;
    }
    return Duration.ofNanos(jitter(Math.min(nanos, maxNanos)));
  }

  private static long nanos(Duration d) {
    return d.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : d.toNanos();
  }

  private static long jitter(long nanos) {
    // Between 50% and 100%: spreads reconnecting agents without ever waiting longer than planned.
    return nanos / 2 + ThreadLocalRandom.current().nextLong(nanos / 2 + 1);
  }
}
