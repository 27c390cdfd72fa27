package io.monitorlab.bench;

/**
 * Durations counted in 1 ms buckets up to a bound (longer ones in the last bucket, the exact maximum kept
 * apart), for percentiles of millions of values in constant memory. Not thread-safe.
 */
final class MsHistogram {
  private final long[] counts;
  private long n;
  private long maxNanos;

  MsHistogram(int boundMs) {
    this.counts = new long[boundMs + 1];
  }

  void add(long nanos) {
    long d = Math.max(0, nanos);
    counts[(int) Math.min(counts.length - 1, d / 1_000_000)]++;
    n++;
    maxNanos = Math.max(maxNanos, d);
  }

  long count() {
    return n;
  }

  /** The nearest-rank percentile, rounded up to the whole ms (the bucket's upper edge); NaN when empty. */
  double percentileMs(double p) {
    if (n == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(p / 100 * n));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(i + 1, maxMs());
      }
    }
    return maxMs();
  }

  double maxMs() {
    return n == 0 ? Double.NaN : maxNanos / 1e6;
  }
}
