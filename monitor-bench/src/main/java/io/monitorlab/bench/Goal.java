package io.monitorlab.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What a figure must meet: upper bounds on its median, p99 and max, any of them absent; no bound
 * at all means the figure is only measured. An optional stretch bound on the median is reported but
 * never fails a figure. Immutable and thread-safe.
 */
record Goal(Double medianAtMost, Double p99AtMost, Double maxAtMost, Double stretchMedian, String unit) {

  /** A verdict on a figure. */
  enum Verdict { PASS, FAIL, INFO }

  /** A figure that is measured, with no goal. */
  static Goal measureOnly() {
    return new Goal(null, null, null, null, "");
  }

  static Goal unit(String unit) {
    return new Goal(null, null, null, null, unit);
  }

  Goal median(double atMost) {
    return new Goal(atMost, p99AtMost, maxAtMost, stretchMedian, unit);
  }

  Goal p99(double atMost) {
    return new Goal(medianAtMost, atMost, maxAtMost, stretchMedian, unit);
  }

  Goal max(double atMost) {
    return new Goal(medianAtMost, p99AtMost, atMost, stretchMedian, unit);
  }

  Goal stretch(double medianAtMost) {
    return new Goal(this.medianAtMost, p99AtMost, maxAtMost, medianAtMost, unit);
  }

  boolean isMeasureOnly() {
    return medianAtMost == null && p99AtMost == null && maxAtMost == null;
  }

  /** PASS when every bound holds, FAIL when one does not or nothing was measured, INFO without goal. */
  Verdict verdict(Stats stats, int missing) {
    if (isMeasureOnly()) {
      return Verdict.INFO;
    }
    if (stats == null || missing > 0) {
      return Verdict.FAIL;
    }
    boolean ok = (medianAtMost == null || stats.median() <= medianAtMost)
        && (p99AtMost == null || stats.p99() <= p99AtMost)
        && (maxAtMost == null || stats.max() <= maxAtMost);
    return ok ? Verdict.PASS : Verdict.FAIL;
  }

  /** Whether the stretch bound holds; null when there is none or nothing was measured. */
  Boolean stretchMet(Stats stats) {
    return stretchMedian == null || stats == null ? null : stats.median() <= stretchMedian;
  }

  /** {@code p50 <= 4500 ms, p99 <= 5600 ms}, or {@code measure} when there is no bound. */
  String text() {
    List<String> parts = new ArrayList<>();
    if (medianAtMost != null) {
      parts.add("p50 <= " + Units.format(medianAtMost, unit));
    }
    if (p99AtMost != null) {
      parts.add("p99 <= " + Units.format(p99AtMost, unit));
    }
    if (maxAtMost != null) {
      parts.add("max <= " + Units.format(maxAtMost, unit));
    }
    if (stretchMedian != null) {
      parts.add("stretch p50 <= " + Units.format(stretchMedian, unit));
    }
    return parts.isEmpty() ? "measure" : String.join(", ", parts);
  }
}
