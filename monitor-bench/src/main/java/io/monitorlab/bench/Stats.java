package io.monitorlab.bench;

import java.util.Arrays;
import java.util.Collection;

/**
 * Order statistics of one sample, by the nearest-rank method: the p-th percentile is the smallest
 * value with at least p % of the sample at or below it, so it is always a measured value.
 * Immutable and thread-safe.
 *
 * @param n how many values
 * @param min the smallest
 * @param median the 50th percentile (nearest rank: the lower middle value when n is even)
 * @param p99 the 99th percentile
 * @param max the largest
 */
record Stats(int n, double min, double median, double p99, double max) {

  /** The statistics of {@code values}; NaN is refused, an empty sample has no statistics. */
  static Stats of(Collection<? extends Number> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values: statistics need at least one");
    }
    double[] sorted = new double[values.size()];
    int i = 0;
    for (Number v : values) {
      double d = v.doubleValue();
      if (Double.isNaN(d)) {
        throw new IllegalArgumentException("value " + i + " is NaN");
      }
      sorted[i++] = d;
    }
    Arrays.sort(sorted);
    return new Stats(sorted.length, sorted[0], percentile(sorted, 50), percentile(sorted, 99), sorted[sorted.length - 1]);
  }

  /**
   * The nearest-rank {@code p}-th percentile of an ascending array: the value at rank
   * {@code ceil(p / 100 * n)} (1-based), at least rank 1.
   */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no values: a percentile needs at least one");
    }
    if (!(p >= 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be from 0 to 100, got " + p);
    }
    // The product is rounded first so that e.g. 99 / 100 * 200 = 198.00000000000003 stays rank 198.
    double exact = Math.round(p / 100 * sorted.length * 1e9) / 1e9;
    int rank = (int) Math.ceil(exact);
    return sorted[Math.max(rank, 1) - 1];
  }
}
