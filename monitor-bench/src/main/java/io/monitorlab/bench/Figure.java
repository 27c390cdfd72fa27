package io.monitorlab.bench;

import java.util.List;

/**
 * One row of the result table: the values measured for one figure, how many trials gave no value
 * (the awaited line never came), and the goal. Immutable and thread-safe.
 *
 * @param group the subcommand that measured it
 * @param name what was measured, e.g. {@code kill -9 -> DEAD (real agents)}
 * @param unit one of {@link Units}
 * @param values one per trial or per run
 * @param missing trials that produced no value; any makes a goal fail
 * @param goal the bounds, or none
 * @param note how it was measured or what limited it; may be empty
 */
record Figure(String group, String name, String unit, List<Double> values, int missing, Goal goal, String note) {
  Figure {
    values = List.copyOf(values);
    if (missing < 0) {
      throw new IllegalArgumentException("missing must be >= 0, got " + missing);
    }
  }

  /** The statistics, or null when nothing was measured. */
  Stats stats() {
    return values.isEmpty() ? null : Stats.of(values);
  }

  Goal.Verdict verdict() {
    return goal.verdict(stats(), missing);
  }

  /** {@code PASS}, {@code FAIL} or {@code -}, with the stretch outcome when there is one. */
  String verdictText() {
    Goal.Verdict v = verdict();
    if (v == Goal.Verdict.INFO) {
      return "-";
    }
    Boolean stretch = goal.stretchMet(stats());
    return stretch == null ? v.name() : v.name() + (stretch ? " (stretch met)" : " (stretch missed)");
  }
}
