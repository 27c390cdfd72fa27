package io.monitorlab.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The values of one figure on one side over all runs, and the median of each run, so that two sides measured
 * in the same runs can be compared run by run. Owned by one thread; not thread-safe.
 */
final class RunSamples {
  private final List<Double> all = new ArrayList<>();
  private final List<Double> thisRun = new ArrayList<>();
  private final List<Double> runMedians = new ArrayList<>();
  private int missing;

  void add(double value) {
    all.add(value);
    thisRun.add(value);
  }

  /** A trial that gave no value. */
  void miss() {
    missing++;
  }

  /** Closes the run: its median (NaN when it gave no value) joins {@link #runMedians()}. */
  void endRun() {
    runMedians.add(thisRun.isEmpty() ? Double.NaN : Stats.of(thisRun).median());
    thisRun.clear();
  }

  List<Double> all() {
    return List.copyOf(all);
  }

  int missing() {
    return missing;
  }

  List<Double> runMedians() {
    return List.copyOf(runMedians);
  }

  /** Per run in which both gave a value: this side's median - {@code base}'s median. */
  List<Double> minus(RunSamples base) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < Math.min(runMedians.size(), base.runMedians.size()); i++) {
      double d = runMedians.get(i) - base.runMedians.get(i);
      if (!Double.isNaN(d)) {
        out.add(d);
      }
    }
    return out;
  }
}
